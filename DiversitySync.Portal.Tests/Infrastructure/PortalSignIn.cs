using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// Browser-like clients for the portal: HTTPS (the cookies are Secure), cookies kept, redirects not followed.
/// </summary>
public static class PortalSignIn
{
    public const string Password = "Correct-Horse-9";

    public static HttpClient CreatePortalClient(this PortalFactory factory) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false
        });

    public static Task SetPasswordAsync(this PortalFactory factory, StaffMember staff, string password = Password) =>
        factory.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<StaffMember>>();
            var member = await users.FindByIdAsync(staff.Id)
                ?? throw new InvalidOperationException("no such staff member");
            var result = await users.AddPasswordAsync(member, password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        });

    /// <summary>Posts the sign-in form; the response is the redirect (success) or the page with the error.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password,
        string? returnUrl = null)
    {
        var page = returnUrl is null ? "/login" : $"/login?ReturnUrl={returnUrl}";
        return await client.PostFormAsync(page,
            [new("Input.Email", email), new("Input.Password", password), new("_handler", "login")], page);
    }

    /// <summary>Where a redirect leads, as a local path and query; fails if it leads to another site.</summary>
    public static string RedirectTarget(this HttpResponseMessage response)
    {
        var location = response.Headers.Location
            ?? throw new InvalidOperationException($"{response.StatusCode} is not a redirect");
        if (!location.IsAbsoluteUri) return location.OriginalString;
        location.Host.Should().Be("localhost", "a redirect must stay on this site");
        return location.PathAndQuery;
    }

    /// <summary>A new staff member with a password, signed in on a new client.</summary>
    public static async Task<(HttpClient Client, StaffMember Staff)> SignedInAsync(this PortalFactory factory,
        string role = StaffRole.Owner, string? name = null)
    {
        var staff = await factory.StaffAsync(role, name);
        await factory.SetPasswordAsync(staff);
        var client = factory.CreatePortalClient();
        var response = await client.SignInAsync(staff.Email!, Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in failed: {response.StatusCode}");
        }
        return (client, staff);
    }
}
