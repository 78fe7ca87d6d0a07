using DiversitySync.Portal.Tokens;

namespace DiversitySync.Portal.Tests.Data;

/// <summary>
/// Every change goes through the one unit of work: it is audited, it checks the actor before anything else, and a
/// refusal leaves nothing behind (L-01, P-04).
/// </summary>
public class WritePathTests(QuietPortalFactory factory) : IClassFixture<QuietPortalFactory>
{
    private Task<T> WithAsync<T>(Func<IServiceProvider, Task<T>> act) => factory.WithScopeAsync(act);

    private async Task<(string Endpoint, long Delivery)> QueuedDeliveryAsync() => await WithAsync(async s =>
    {
        var webhooks = s.GetRequiredService<WebhookEndpointService>();
        var endpoint = (await webhooks.CreateAsync(Actor.System,
            new(PortalFactory.UnansweredWebhookUrl, null, ["api_key.created"]))).Value!.Id;
        await webhooks.SendTestAsync(Actor.System, endpoint);
        var delivery = await s.GetRequiredService<PortalDbContext>().WebhookMessages.Where(m => m.EndpointId == endpoint).Select(m => m.Id).SingleAsync();
        return (endpoint, delivery);
    });

    [Fact]
    public async Task L01_retrying_a_delivery_is_audited_with_who_retried_it()
    {
        var owner = await factory.StaffAsync();
        var (endpoint, delivery) = await QueuedDeliveryAsync();

        var retried = await WithAsync(s =>
            s.GetRequiredService<WebhookEndpointService>().RetryAsync(Seed.ActorOf(owner), endpoint, delivery));

        retried.Succeeded.Should().BeTrue(retried.Refusal?.Message);
        (await factory.AuditAsync(AuditActions.WebhookDeliveryRetried)).Should()
            .ContainSingle(e => e.TargetId == endpoint).Which.ActorId.Should().Be(owner.Id);
    }

    [Fact]
    public async Task L01_sending_a_test_event_is_audited()
    {
        var (endpoint, _) = await QueuedDeliveryAsync();

        (await factory.AuditAsync(AuditActions.WebhookTestSent)).Should().ContainSingle(e => e.TargetId == endpoint);
    }

    [Fact]
    public async Task P04_an_Owner_may_not_rotate_the_signing_keys_and_nothing_changes()
    {
        var owner = await factory.StaffAsync();
        var before = factory.Services.GetRequiredService<SigningKeyStore>().Current.Signer.Kid;

        var rotated = await WithAsync(s => s.GetRequiredService<SigningKeyStore>()
            .RotateAsync(s.GetRequiredService<UnitOfWork>(), Seed.ActorOf(owner)));

        rotated.Refusal!.Kind.Should().Be(RefusalKind.Forbidden);
        factory.Services.GetRequiredService<SigningKeyStore>().Current.Signer.Kid.Should().Be(before);
        (await factory.AuditAsync(AuditActions.SigningKeyCreated)).Should().NotContain(e => e.ActorId == owner.Id);
    }

    [Fact]
    public async Task P04_changing_an_endpoint_without_the_permission_is_forbidden_before_its_new_host_is_looked_up()
    {
        var (endpoint, _) = await QueuedDeliveryAsync();
        var reader = await factory.KeyAsync(await factory.StaffAsync(), ScopeCatalog.ReadWebhooks);
        var actor = Actor.Key(reader.Key.KeyId, reader.Key.Name, new HashSet<string> { ScopeCatalog.ReadWebhooks });

        var refusal = await WithAsync(async s => (await s.GetRequiredService<WebhookEndpointService>()
            .UpdateAsync(actor, endpoint, new("https://no-such-host.invalid/hooks", null, null))).Refusal);

        refusal!.Kind.Should().Be(RefusalKind.Forbidden,
            "the permission decides first; the URL (and its DNS) is never looked at");
        refusal.Message.Should().NotContain("host");
    }

    [Fact]
    public async Task L01_a_change_that_writes_no_audit_event_is_rolled_back()
    {
        var name = $"Unaudited {Guid.NewGuid():N}"[..20];

        var write = () => WithAsync(s => s.GetRequiredService<UnitOfWork>().RunAsync<bool>(Actor.System,
            ScopeCatalog.WriteRoles, async change =>
        {
            change.Db.Roles.Add(new StaffRole { Name = name, NormalizedName = name.ToUpperInvariant() });
            await change.Db.SaveChangesAsync();
            return true;
        }));

        await write.Should().ThrowAsync<InvalidOperationException>().WithMessage("Every change is audited*");
        (await WithAsync(s => s.GetRequiredService<PortalDbContext>().Roles.AnyAsync(r => r.Name == name))).Should()
            .BeFalse();
    }
}
