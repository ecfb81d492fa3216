"""Pages of the plans family (S12): the plan page of an institution and the bureau, and the public page."""
