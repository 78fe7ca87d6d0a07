using DiversitySync.Portal;
using DiversitySync.Portal.Api;
using DiversitySync.Portal.Audit;
using DiversitySync.Portal.Cli;
using DiversitySync.Portal.Components;
using DiversitySync.Portal.Components.Circuits;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.RateLimiting;
using DiversitySync.Portal.SecretScanning;
using DiversitySync.Portal.Staff;
using DiversitySync.Portal.Tokens;
using DiversitySync.Portal.Webhooks;

// One executable: the portal and API server, or an admin command (`-- keys create …`, see Cli/AdminCli.cs).
var isCommand = AdminCli.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);
builder.Configuration.AddRootAppSettings();
// Serve built (not yet published) static assets in every environment, so `dotnet run` works as Production too;
// published output has no runtime manifest and this does nothing there.
builder.WebHost.UseStaticWebAssets();
// "Request starting" lines carry the whole URL: a client that puts its key in the query string must not get it
// logged, whatever log levels an operator configures (L-02, T-04).
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
if (isCommand)
{
    // stdout belongs to the command's output (a new key, a list): logs go to stderr, warnings only.
    builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning")]);
    builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}

builder.AddPublicUrl();
builder.AddData();
builder.AddAudit();
builder.AddStaff();
builder.AddKeys();
builder.AddTokens();
builder.AddSecretScanning();
builder.AddRateLimits();
builder.AddWebhooks();
builder.AddApi();
builder.AddApiDocument();
builder.AddPortal();
// On a first start with no staff, the console shows the one-time link that creates the Owner.
builder.Services.AddHostedService<SetupLinkAnnouncer>();

var app = builder.Build();
if (isCommand)
{
    return await AdminCli.RunAsync(app.Services, args, Console.Out, Console.Error, () => PrepareAsync(app.Services));
}
await PrepareAsync(app.Services);

app.LogPublicUrl();
app.UseTrustedProxies();
app.UseSecurityHeaders();
app.UseHubOriginCheck();
if (!app.Environment.IsDevelopment()) app.UseHsts(); // sent on HTTPS responses only
app.UseErrorPages();
app.UseExceptionHandler();
// Routing here rather than first: the token endpoint and discovery run at this point (short-circuited, see
// MapTokens), after the proxy, header and error handling above, and without the portal's authentication,
// authorization and antiforgery below, which they do not use.
app.UseRouting();
app.UseAuthentication();
app.UseApiAuthenticationFirst();
app.UseAuthorization();
app.UseAntiforgery();

app.MapHealth();
app.MapTokens();
app.MapSecretScanning();
app.MapApi();
app.MapApiDocument();
app.MapPortal();

await app.RunAsync();
return 0;

// Before the server or an admin command: the schema, the built-in roles, a signing key.
static async Task PrepareAsync(IServiceProvider services)
{
    await services.PrepareDatabaseAsync();
    await services.PrepareStaffAsync();
    await services.PrepareSigningKeysAsync();
}

public partial class Program;
