using DiversitySync.Portal.Keys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// POST /oauth/revoke (RFC 7009). A client revokes its own access tokens (by jti, on every instance, until they
/// would expire: S-02), or its own key by presenting the key as both credential and token: "reported leaked"
/// (S-03). Anything else is 200 with nothing changed, as RFC 7009 §2.2 requires, so nothing is learned about any
/// other token or key.
/// </summary>
public static class RevocationEndpoint
{
    public const string Path = "/oauth/revoke";
    public const string What = "revocation";
    public const string ReportedLeaked = "reported leaked";

    private static readonly Func<HttpRequest, CancellationToken, Task<ClientRequestRead<TokenParameterRequest>>> Read =
        TokenParameterRequest.Reader(TokenParameterRequest.AccessTokenHint, TokenParameterRequest.ApiKeyHint);

    public static async Task<Results<Ok, OAuthErrorResult>> HandleAsync(
        HttpContext http, OAuthClientGate gate, AccessTokenJudge judge, RevokedAccessTokens revoked, UnitOfWork writes,
        ApiKeyService keys)
    {
        var gated = await gate.AuthenticateAsync(http, What, Read, OAuthClientGate.Allowances.ApiCall);
        if (gated.Client is not { } client) return gated.Refused!;
        var request = client.Request;
        if (string.Equals(request.Token, request.Key, StringComparison.Ordinal))
        {
            var report = new LeakReport(ReportedLeaked, $"{client.Actor.Name} (the key itself, {Path})",
                client.Actor.ClientIp, client.Actor.CorrelationId);
            await keys.RevokeLeakedAsync([new KeySighting(request.Key)], report, http.RequestAborted);
        }
        else if (await judge.ValidateAsync(request.Token) is { } jwt &&
                 jwt.TryGetPayloadValue<string>(TokenClaims.ClientId, out var issuedTo)
                     && issuedTo == client.Entry.KeyId)
        {
            await revoked.RevokeAsync(writes, jwt.Id, client.Entry.KeyId, jwt.ValidTo, client.Actor,
                http.RequestAborted);
        }
        OAuthResponses.NoStore(http.Response);
        return TypedResults.Ok();
    }
}
