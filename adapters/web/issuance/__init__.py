"""Pages of the certificate-issuance family (S1–S3, A1): the class list, the class page and its archive, exam
and report pages (blueprints nested under ``views.bp``)."""
