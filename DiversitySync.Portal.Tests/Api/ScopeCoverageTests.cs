using DiversitySync.Portal.Api;
using Microsoft.AspNetCore.Routing;

namespace DiversitySync.Portal.Tests.Api;

/// <summary>
/// Generated from the scope catalog: every built-in scope guards at least one /v1 endpoint, which answers 403
/// without it and 2xx with it (J-10). A scope without an endpoint, or an
/// endpoint without a sample call below, fails here.
/// </summary>
public class ScopeCoverageTests(LoopbackWebhooksPortalFactory factory) : IClassFixture<LoopbackWebhooksPortalFactory>
{
    private readonly HttpClient client = factory.CreateClient();

    /// <summary>
    /// Every built-in scope but read:tokens, which guards POST /oauth/introspect: a client authenticates there with its
    /// key, not a token, and IntrospectionTests prove it refused without the scope and served with it.
    /// </summary>
    public static TheoryData<string> BuiltInScopes =>
        [.. ScopeCatalog.BuiltIn.Select(s => s.Name).Where(s => s != ScopeCatalog.ReadTokens)];

    /// <summary>
    /// A request that succeeds for an Owner's key holding the endpoint's scope, keyed by "METHOD /route".
    /// </summary>
    private Dictionary<string, Func<Task<(string Path, string? Body)>>> Samples() => new()
    {
        ["GET /v1/me"] = () => Call("/v1/me"),
        ["GET /v1/api-keys"] = () => Call("/v1/api-keys"),
        ["GET /v1/api-keys/{keyId}"] = async () => ($"/v1/api-keys/{(await NewKeyAsync()).KeyId}", null),
        ["GET /v1/api-keys/{keyId}/usage"] = async () => ($"/v1/api-keys/{(await NewKeyAsync()).KeyId}/usage", null),
        ["GET /v1/api-keys/review"] = () => Call("/v1/api-keys/review"),
        ["GET /v1/api-keys/report"] = () => Call("/v1/api-keys/report"),
        ["POST /v1/api-keys/revoke"] = async () => ("/v1/api-keys/revoke",
            $$"""{"keyIds":["{{(await NewKeyAsync()).KeyId}}"]}"""),
        ["POST /v1/api-keys/expiry"] = async () => ("/v1/api-keys/expiry",
            $$"""{"keyIds":["{{(await NewKeyAsync()).KeyId}}"],"expiresAt":null}"""),
        ["POST /v1/api-keys"] = () => Call("/v1/api-keys", """{"name":"Made by a key","environment":"test","scopes":["write:api_keys"]}"""),
        ["POST /v1/api-keys/{keyId}/revoke"] = async () => ($"/v1/api-keys/{(await NewKeyAsync()).KeyId}/revoke", "{}"),
        // A key of the calling key's scopes only: rolling makes one, and a key grants no more than it holds.
        ["POST /v1/api-keys/{keyId}/roll"] = async () =>
            ($"/v1/api-keys/{(await factory.KeyAsync(await factory.StaffAsync(), ScopeCatalog.WriteApiKeys)).Key.KeyId}/roll",
                """{"graceSeconds":3600}"""),
        ["PATCH /v1/api-keys/{keyId}"] = async () => ($"/v1/api-keys/{(await NewKeyAsync()).KeyId}",
            """{"allowedIps":["203.0.113.0/24"]}"""),
        ["GET /v1/staff"] = () => Call("/v1/staff"),
        ["GET /v1/staff/{id}"] = async () => ($"/v1/staff/{(await NewStaffAsync()).Id}", null),
        ["PUT /v1/staff/{id}/roles"] = async () =>
        {
            await factory.RoleAsync("Role keeper", "write:roles"); // a key gives away no more than its scopes
            return ($"/v1/staff/{(await NewStaffAsync()).Id}/roles", """{"roles":["Role keeper"]}""");
        },
        ["POST /v1/staff/{id}/archive"] = async () => ($"/v1/staff/{(await NewStaffAsync()).Id}/archive", "{}"),
        ["POST /v1/staff/{id}/unarchive"] = async () =>
            ($"/v1/staff/{(await NewStaffAsync(StaffStatus.Archived)).Id}/unarchive", "{}"),
        ["POST /v1/staff/{id}/block"] = async () => ($"/v1/staff/{(await NewStaffAsync()).Id}/block", "{}"),
        ["POST /v1/staff/{id}/unblock"] = async () =>
            ($"/v1/staff/{(await NewStaffAsync(StaffStatus.Blocked)).Id}/unblock", "{}"),
        ["POST /v1/staff/{id}/password-reset"] = async () => ($"/v1/staff/{(await NewStaffAsync()).Id}/password-reset",
            "{}"),
        ["POST /v1/staff/{id}/mfa-reset"] = async () => ($"/v1/staff/{(await NewStaffAsync()).Id}/mfa-reset", "{}"),
        ["POST /v1/invites"] = async () =>
        {
            await factory.RoleAsync("Inviter", "write:invites");
            return ("/v1/invites", $$"""{"email":"invitee{{Guid.NewGuid():N}}@example.com","displayName":"Ivy","roles":["Inviter"]}""");
        },
        ["GET /v1/audit-events"] = () => Call("/v1/audit-events"),
        ["GET /v1/audit-events/export"] = () => Call("/v1/audit-events/export"),
        ["GET /v1/api-keys/export"] = () => Call("/v1/api-keys/export"),
        ["GET /v1/settings/key-policy"] = () => Call("/v1/settings/key-policy"),
        // A rule no key here can break: keys are expired only after 3,650 days unused.
        ["PUT /v1/settings/key-policy"] = () => Call("/v1/settings/key-policy", """{"expireUnusedAfterDays":3650}"""),
        ["GET /v1/webhooks"] = () => Call("/v1/webhooks"),
        ["POST /v1/webhooks"] = () => Call("/v1/webhooks", $$"""{"url":"{{PortalFactory.UnansweredWebhookUrl}}","events":["api_key.created"]}"""),
        ["GET /v1/webhooks/secret"] = () => Call("/v1/webhooks/secret"),
        ["POST /v1/webhooks/secret/rotate"] = () => Call("/v1/webhooks/secret/rotate", "{}"),
        ["GET /v1/webhooks/{id}"] = async () => ($"/v1/webhooks/{await NewEndpointAsync()}", null),
        ["PATCH /v1/webhooks/{id}"] = async () => ($"/v1/webhooks/{await NewEndpointAsync()}", """{"description":"Changed"}"""),
        ["DELETE /v1/webhooks/{id}"] = async () => ($"/v1/webhooks/{await NewEndpointAsync()}", "{}"),
        ["POST /v1/webhooks/{id}/test"] = async () => ($"/v1/webhooks/{await NewEndpointAsync()}/test", "{}"),
        ["GET /v1/webhooks/{id}/deliveries"] = async () => ($"/v1/webhooks/{await NewEndpointAsync()}/deliveries",
            null),
        ["POST /v1/webhooks/{id}/deliveries/{deliveryId:long}/retry"] = async () =>
        {
            var endpoint = await NewEndpointAsync();
            var delivery = await factory.WithScopeAsync(async s =>
            {
                await s.GetRequiredService<WebhookEndpointService>().SendTestAsync(Actor.System, endpoint);
                return await s.GetRequiredService<PortalDbContext>().WebhookMessages.Where(m => m.EndpointId == endpoint).Select(m => m.Id).SingleAsync();
            });
            return ($"/v1/webhooks/{endpoint}/deliveries/{delivery}/retry", "{}");
        },
    };

    private static Task<(string, string?)> Call(string path, string? body = null) => Task.FromResult((path, body));

    /// <summary>
    /// An endpoint nothing answers, on loopback: saved without DNS, and every delivery to it fails at once.
    /// </summary>
    private Task<string> NewEndpointAsync() => factory.WithScopeAsync(async s =>
        (await s.GetRequiredService<WebhookEndpointService>().CreateAsync(Actor.System,
            new(PortalFactory.UnansweredWebhookUrl, null, ["api_key.created"]))).Value!.Id);

    private async Task<ApiKeyView> NewKeyAsync() =>
        (await factory.KeyAsync(await factory.StaffAsync(StaffRole.ReadOnly))).Key;

    /// <summary>Someone who holds no permission: a key may act only on accounts within its own scopes.</summary>
    private async Task<StaffMember> NewStaffAsync(StaffStatus? status = null)
    {
        var staff = await factory.StaffWithoutRolesAsync();
        if (status is not null) await factory.ChangeStaffAsync(staff, status);
        return staff;
    }

    /// <summary>Every /v1 endpoint as "METHOD /route" with the scope it requires (null: any valid token).</summary>
    private List<(string Route, string? Scope)> Endpoints() =>
        [.. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                ($"{method} {e.RoutePattern.RawText!.TrimEnd('/')}",
                    e.Metadata.GetMetadata<RequiredScopeMetadata>()?.Scope)))];

    [Fact]
    public void Every_v1_endpoint_has_a_sample_call_here()
    {
        Endpoints().Select(e => e.Route).Should().BeEquivalentTo(Samples().Keys,
            "a new endpoint needs a sample call so its scope is tested");
    }

    [Theory]
    [MemberData(nameof(BuiltInScopes))]
    public async Task Each_scope_guards_an_endpoint_that_refuses_without_it_and_serves_with_it(string scope)
    {
        var guarded = Endpoints().Where(e => e.Scope == scope).Select(e => e.Route).ToList();
        guarded.Should().NotBeEmpty($"{scope} must guard at least one /v1 endpoint");
        var owner = await factory.StaffAsync(StaffRole.Owner);
        var everythingElse = string.Join(' ', ScopeCatalog.BuiltIn.Select(s => s.Name).Where(s => s != scope));
        var without = await client.AccessTokenAsync((await factory.KeyAsync(owner, everythingElse)).Plaintext);
        var with = await client.AccessTokenAsync((await factory.KeyAsync(owner, scope)).Plaintext);

        foreach (var route in guarded)
        {
            var method = new HttpMethod(route[..route.IndexOf(' ')]);
            var (path, body) = await Samples()[route]();
            var refused = await SendAsync(method, path, body, without);
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, $"{route} without {scope}");
            refused.Headers.WwwAuthenticate.ToString().Should().Contain($"scope=\"{scope}\"");
            var served = await SendAsync(method, path, body, with);
            served.IsSuccessStatusCode.Should().BeTrue($"{route} with {scope} answered {(int)served.StatusCode}: " +
                $"{await served.Content.ReadAsStringAsync()}");
        }
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string token) =>
        body is null ? client.GetAsync(path, token) : client.SendJsonAsync(method, path, token, body);
}
