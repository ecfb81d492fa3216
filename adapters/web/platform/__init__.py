"""The platform's pages: sign-in, inbox, tasks, instances, files, processes, notifications, administration and
the JSON API. Process families add their own blueprints beside these (see ``adapters.web.app``)."""
