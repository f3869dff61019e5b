namespace ZeroPark.Application;

// The small exception taxonomy of ZeroPark. The server maps each to one ProblemDetails status in one place;
// the CLI prints the message and exits non-zero. Expected bad *data* (a row of a file) is never an exception:
// it is a value in the import result.

/// <summary>A named thing does not exist (HTTP 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The request conflicts with stored state, e.g. a duplicate code (HTTP 409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>A request field is invalid; <see cref="Field"/> names it (HTTP 400 with errors[field]).</summary>
public sealed class ValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
