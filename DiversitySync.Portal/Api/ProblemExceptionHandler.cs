using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DiversitySync.Portal.Api;

/// <summary>
/// The last resort: every unhandled exception becomes a ProblemDetails with no stack trace, type name or SQL
/// (L-04). Bad input found by the framework (unreadable JSON, a parameter of the wrong type)
/// is a 400 that says what was wrong; a database that cannot be reached is a 503 with Retry-After.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems,
    ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception,
        CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", BadRequestWords.Describe(bad)),
            SqliteException { SqliteErrorCode: 5 or 6 or 14 } or NpgsqlException { IsTransient: true }
                => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                    "The database is busy or unavailable. Try again shortly."),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error",
                "Something went wrong on our side. It has been logged."),
        };
        if (status >= 500) logger.LogError(exception, "Request failed with {Status}", status);
        else logger.LogDebug("Rejected a bad request: {Reason}", exception.Message);
        if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";

        context.Response.StatusCode = status;
        // The portal shows its HTML error page for this status (ErrorPages.UseErrorPages).
        if (!MachineEndpoints.Contains(context.Request.Path)) return true;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
