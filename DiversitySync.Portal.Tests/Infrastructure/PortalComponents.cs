using Bunit;
using Bunit.Rendering;
using DiversitySync.Portal.Components.Account;
using DiversitySync.Portal.Components.Circuits;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// bUnit with the real app behind it: components render with MudBlazor's services and providers, and call the real
/// services (through <see cref="PerAction"/>) on the factory's SQLite database, as the signed-in viewer.
/// </summary>
public static class PortalComponents
{
    public static async Task<(BunitContext Context, PortalUser Viewer)> ContextAsync(PortalFactory factory,
        StaffMember viewer)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddSingleton(new PerAction(factory.Services.GetRequiredService<IServiceScopeFactory>()));
        ctx.Services.AddSingleton(factory.Services.GetRequiredService<ScopeCatalog>());
        ctx.Services.AddSingleton<TimeProvider>(factory.Time);
        ctx.Services.AddSingleton(factory.Services.GetRequiredService<IOptions<PortalOptions>>());
        ctx.Services.AddSingleton(factory.Services.GetRequiredService<IOptions<KeysOptions>>());
        var user = await UserAsync(factory, viewer);
        var circuit = new PortalCircuit(factory.Time);
        circuit.Start(user.ToPrincipal("stamp", IdentityConstants.ApplicationScheme),
            new CircuitStart("127.0.0.1", null));
        ctx.Services.AddSingleton(circuit);
        return (ctx, user);
    }

    /// <summary>The staff member as the portal sees them now: their roles' permissions, from the database.</summary>
    public static Task<PortalUser> UserAsync(PortalFactory factory,
        StaffMember staff) => factory.WithScopeAsync(async s =>
        (await StaffSessions.CurrentAsync(s.GetRequiredService<Portal.Data.PortalDbContext>(),
            s.GetRequiredService<ActorAccess>(), staff.Id))!.Value.User);

    /// <summary>
    /// Renders <typeparamref name="T"/> as a page: MudBlazor's providers beside it and the viewer cascaded, as the
    /// layout does.
    /// </summary>
    public static IRenderedComponent<ContainerFragment> RenderPage<T>(this BunitContext ctx, PortalUser viewer,
        IReadOnlyDictionary<string, object>? parameters = null)
        where T : IComponent => ctx.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<CascadingValue<PortalUser>>(3);
            builder.AddAttribute(4, "Value", viewer);
            builder.AddAttribute(5, "ChildContent", (RenderFragment)(inner =>
            {
                inner.OpenComponent<T>(0);
                if (parameters is not null) inner.AddMultipleAttributes(1, parameters);
                inner.CloseComponent();
            }));
            builder.CloseComponent();
        });
}
