"""Queue engines that carry background-job ids to workers. They know nothing of what a job does: the outbox
row (``storage.models_jobs``) is the truth and ``adapters.services.platform.jobs`` runs it."""
