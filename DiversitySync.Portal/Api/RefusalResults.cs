using DiversitySync.Portal.Staff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Api;

/// <summary>A service's refusal as HTTP: the same status for the same reason on /v1 and in the portal.</summary>
public static class RefusalResults
{
    public static int StatusCode(this Refusal refusal) => refusal.Kind switch
    {
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult ToProblem(this Refusal refusal) => TypedResults.Problem(refusal.Message, statusCode: refusal.StatusCode(), title: refusal.Kind switch
    {
        RefusalKind.NotFound => "Not found",
        RefusalKind.Forbidden => "Not allowed",
        RefusalKind.Conflict => "Conflict",
        _ => "Invalid request",
    });
}
