using System.Security.Claims;
using DiversitySync.Portal.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace DiversitySync.Portal.Tests.Api;

public class SchemeIsolationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private IEnumerable<RouteEndpoint> V1Endpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>().Where(e => e.RoutePattern.RawText!.StartsWith("/v1", StringComparison.Ordinal));

    [Fact]
    public void J10_every_v1_endpoint_requires_a_bearer_token_and_all_but_me_a_scope()
    {
        factory.CreateClient(); // start the app so its endpoints exist
        var endpoints = V1Endpoints().ToList();

        endpoints.Should().NotBeEmpty();
        foreach (var endpoint in endpoints)
        {
            var route = endpoint.RoutePattern.RawText;
            endpoint.Metadata.GetMetadata<IAllowAnonymous>().Should().BeNull(route);
            var policies = endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>();
            policies.Should().NotBeEmpty(route);
            policies.SelectMany(p => p.AuthenticationSchemes).Distinct().Should().Equal(["Bearer"],
                $"{route} accepts bearer tokens only (J-11)");
            if (route != "/v1/me") endpoint.Metadata.GetMetadata<RequiredScopeMetadata>().Should().NotBeNull(route);
        }
    }

    [Fact]
    public async Task J11_a_valid_portal_cookie_never_authorizes_v1()
    {
        var staff = await factory.StaffAsync();
        var cookieOptions = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme);
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, staff.Id),
            new Claim(ClaimTypes.Name, staff.Email!)], IdentityConstants.ApplicationScheme));
        var cookie = cookieOptions.TicketDataFormat.Protect(new AuthenticationTicket(principal,
            IdentityConstants.ApplicationScheme));
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Add("Cookie", $"{cookieOptions.Cookie.Name}={cookie}");

        var response = await factory.CreateClient().SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }
}
