using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

/// <summary>A service's refusal as a /v1 answer: an RFC 9457 problem with the refusal's status and message.</summary>
public static class RefusalResults
{
    public static ProblemHttpResult ToProblem(this Refusal refusal) => TypedResults.Problem(refusal.Message,
        statusCode: refusal.StatusCode, title: refusal.Kind switch
        {
            RefusalKind.NotFound => "Not found",
            RefusalKind.Forbidden => "Not allowed",
            RefusalKind.Conflict => "Conflict",
            _ => "Invalid request",
        });
}
