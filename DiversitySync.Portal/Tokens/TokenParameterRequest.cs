using System.ComponentModel;
using System.Text.Json.Serialization;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// An RFC 7662 introspection or RFC 7009 revocation request: the client's credentials and the token it names.
/// </summary>
public sealed record TokenParameterRequest(ClientAuthMethod Method, string Key, string? ClientId, string Token,
    string? Hint) : IClientRequest
{
    public const string AccessTokenHint = "access_token";
    public const string ApiKeyHint = "api_key";

    public override string ToString() => $"TokenParameterRequest {{ Method = {Method}, ClientId = {ClientId}, Hint = " +
        $"{Hint} }}";

    /// <summary>
    /// The form's fields, for the OAuth document: the client's credentials (or HTTP Basic) and the token.
    /// </summary>
    public sealed record Fields(
        [property: JsonPropertyName("client_id"),
            Description("The key id (the 16 hex digits after ds_live_ or ds_test_)")] string? ClientId,
        [property: JsonPropertyName("client_secret"), Description("The API key")] string? ClientSecret,
        [property: JsonPropertyName("token"),
            Description("The access token (to revoke: one of the calling key's, or the key itself)")] string Token,
        [property: JsonPropertyName("token_type_hint"),
            Description("Optional: access_token (revocation also api_key)")] string? TokenTypeHint);

    /// <summary>
    /// Reads a form (RFC 7662 §2.1, RFC 7009 §2.1) with the token endpoint's client forms: one way of
    /// authenticating, a <c>token</c>, and a <c>token_type_hint</c> of those given, if any.
    /// </summary>
    public static Func<HttpRequest, CancellationToken, Task<ClientRequestRead<TokenParameterRequest>>> Reader(params string[] hints) =>
        async (request, cancellationToken) =>
        {
            var (fields, _, bodyError) = await TokenRequestReader.ReadBodyAsync(request, allowJson: false,
                cancellationToken);
            if (bodyError is not null) return new(null, bodyError, ClientAuthMethod.None);
            var credentials = TokenRequestReader.Credentials(request, fields, isJson: false);
            if (credentials.Error is not null) return new(null, credentials.Error, credentials.Method);
            if (!fields.TryGetValue("token", out var token))
            {
                return new(null, OAuthError.InvalidRequest("token is required: send the token as the token form " +
                    "field."), credentials.Method);
            }
            var hint = fields.GetValueOrDefault("token_type_hint");
            if (hint is not null && !hints.Contains(hint))
            {
                return new(null, OAuthError.UnsupportedTokenType($"token_type_hint can be " +
                    $"{string.Join(" or ", hints)}."), credentials.Method);
            }
            return new(new TokenParameterRequest(credentials.Method, credentials.Key!, credentials.ClientId, token,
                hint), null, credentials.Method);
        };
}
