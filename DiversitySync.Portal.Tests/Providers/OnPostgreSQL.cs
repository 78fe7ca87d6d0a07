using DiversitySync.Portal.Tests.Api;
using DiversitySync.Portal.Tests.Audit;
using DiversitySync.Portal.Tests.Keys;
using DiversitySync.Portal.Tests.Staff;
using DiversitySync.Portal.Tests.Tokens;
using DiversitySync.Portal.Tests.Webhooks;

namespace DiversitySync.Portal.Tests.Providers;

// The key, token, staff, audit and webhook test classes once more, unchanged, on a real PostgreSQL database: every test in
// them holds on both providers. (Each also gets an unused SQLite factory from its base class's fixture.)

public sealed class ApiKeyServiceTestsOnPostgreSQL(PostgresPortalFactory factory) : ApiKeyServiceTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class KeyFieldsTestsOnPostgreSQL(PostgresPortalFactory factory) : KeyFieldsTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class ApiKeyEndpointTestsOnPostgreSQL(PostgresPortalFactory factory) : ApiKeyEndpointTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class TokenExchangeTestsOnPostgreSQL(PostgresPortalFactory factory) : TokenExchangeTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class TokenEndpointBadInputTestsOnPostgreSQL(PostgresPortalFactory factory) : TokenEndpointBadInputTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class StaffEndpointTestsOnPostgreSQL(PostgresPortalFactory factory) : StaffEndpointTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class IdentityNamesTestsOnPostgreSQL(PostgresPortalFactory factory) : IdentityNamesTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class MfaTestsOnPostgreSQL(PostgresPortalFactory factory) : MfaTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class AuditLogPageTestsOnPostgreSQL(PostgresPortalFactory factory) : AuditLogPageTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class ApiKeySearchTestsOnPostgreSQL() : ApiKeySearchTests(new PostgresPortalFactory());

public sealed class AuditTrailTestsOnPostgreSQL() : AuditTrailTests(new PostgresPortalFactory());

public sealed class SignInTestsOnPostgreSQL() : SignInTests(new PostgresPortalFactory());

public sealed class DatabaseOutageTestsOnPostgreSQL : Reliability.DatabaseOutageTests
{
    protected override PortalFactory Create(Dictionary<string, string?> settings) =>
        PostgresPortalFactory.With(settings);
}

public sealed class WebhookDeliveryTestsOnPostgreSQL() : WebhookDeliveryTests(PostgresPortalFactory.With(Settings));

public sealed class WebhookRulesTestsOnPostgreSQL(PostgresPortalFactory factory) : WebhookRulesTests(factory), IClassFixture<PostgresPortalFactory>;

public sealed class KeyExpiryReminderTestsOnPostgreSQL() : KeyExpiryReminderTests(PostgresPortalFactory.With(Quiet));

public sealed class RevocationTestsOnPostgreSQL(PostgresPortalFactory factory) : RevocationTests(factory), IClassFixture<PostgresPortalFactory>;
