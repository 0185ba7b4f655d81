class WorkflowError(Exception):
    """A step or money operation that is not allowed, with the Chinese reason shown to the person.

    `kind` tells the API which status to answer with: bad input 400, wrong role 403, out of area 404,
    wrong order or not enough money 409.
    """

    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"

    def __init__(self, message, *, kind=CONFLICT):
        super().__init__(message)
        self.message = message
        self.kind = kind
