class Refusal(Exception):
    """An operation on volunteers, points or rewards that is not allowed, with the Chinese reason.

    `kind` tells the API which status to answer with: bad input 400, wrong person 403, out of area 404,
    already done or not enough points or stock 409 (as projects.errors.WorkflowError does for projects).
    """

    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"

    def __init__(self, message, *, kind=CONFLICT):
        super().__init__(message)
        self.message = message
        self.kind = kind
