// Fills a portal database with N keys, M audit events and usage counters, quickly, through the portal's own model:
// every row is one of the portal's entities (ApiKey, AuditEvent, KeyUsageDay, …) with key ids and secret hashes from
// ApiKeyFormat and "holds a write: scope" from ScopeVerbs, and its table, columns and value conversions come from the
// EF Core model, so a migration that changes the model changes what this writes. Rows go in bulk: on SQLite one
// prepared INSERT per table in transactions of 50,000 rows, on PostgreSQL binary COPY.
//
// The database must exist and hold its creators: run the portal's admin CLI first (`staff create` migrates it).
// Keys are spread over the staff in the database, two years of creation dates, both environments, every status
// (1 in 17 revoked, 1 in 10 expired, 1 in 10 expiring within two weeks, 1 in 10 never expiring, 1 in 200 replaced)
// and three kinds of access (1 in 50 Admin, 1 in 3 holding a write: scope); half have been used. Events are spread over
// the last 80 days, oldest first, 9 in 10 of them token exchanges by the seeded keys.
//
// Usage: dotnet run bench/seed.cs -- <sqlite:FILE | postgres:CONNECTION STRING> [--keys N] [--events M]
//        [--usage-keys K] [--usage-days D]
#:project ../DiversitySync.Portal/DiversitySync.Portal.csproj
#:property PublishAot=false
using System.Data.Common;
using System.Diagnostics;
using DiversitySync.Portal.Data;
using DiversitySync.Portal.Data.PostgreSQL;
using DiversitySync.Portal.Data.Sqlite;
using DiversitySync.Portal.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

var options = Options.Parse(args);
await using var db = options.Open();
var creators = await db.Users.AsNoTracking().OrderBy(s => s.Email).Select(s => s.Id).ToListAsync();
if (creators.Count == 0) throw new InvalidOperationException("No staff to create keys: run `staff create` first.");
var now = DateTime.UtcNow;
var clock = Stopwatch.StartNew();

var keyIds = new string[options.Keys];
await Bulk.WriteAsync(db, Seeds.Keys(options.Keys, creators, keyIds, now));
Console.Error.WriteLine($"  {options.Keys:N0} keys in {clock.Elapsed.TotalSeconds:F1} s");
clock.Restart();
// Events and usage for the keys already there, when this run seeds none.
if (keyIds.Length == 0) keyIds = await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).Select(k => k.KeyId).ToArrayAsync();
await Bulk.WriteAsync(db, Seeds.Events(options.Events, keyIds, creators, now));
Console.Error.WriteLine($"  {options.Events:N0} audit events in {clock.Elapsed.TotalSeconds:F1} s");
clock.Restart();
var usageKeys = keyIds.Take(options.UsageKeys).ToArray();
await Bulk.WriteAsync(db, Seeds.UsageDays(usageKeys, options.UsageDays, now));
await Bulk.WriteAsync(db, Seeds.ScopeDays(usageKeys, options.UsageDays, now));
await Bulk.WriteAsync(db, Seeds.ScopeLastUses(usageKeys, now));
Console.Error.WriteLine($"  {usageKeys.Length:N0} keys' usage over {options.UsageDays} days in " +
    $"{clock.Elapsed.TotalSeconds:F1} s");
// Hand over a database as the portal leaves one: not with gigabytes of write-ahead log for the next opener to read.
if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");

sealed record Options(string Database, int Keys, int Events, int UsageKeys, int UsageDays)
{
    public static Options Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("Usage: seed.cs <sqlite:FILE | postgres:CONNECTION> …");
        int Value(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 ? int.Parse(args[i + 1])
            : fallback;
        return new Options(args[0], Value("--keys", 1_000_000), Value("--events", 0), Value("--usage-keys", 0),
            Value("--usage-days", 90));
    }

    public PortalDbContext Open() => Database.Split(':', 2) switch
    {
        ["sqlite", var file] => new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>()
            .UseSqlite($"Data Source={file}").Options),
        ["postgres", var connection] => new PostgresPortalDbContext(
            new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(connection).Options),
        _ => throw new ArgumentException("The database is sqlite:FILE or postgres:CONNECTION STRING."),
    };
}

static class Seeds
{
    private static readonly string[] Words = ["Billing", "Warehouse", "Device", "Customer", "Reporting", "Payroll",
        "Analytics", "Backup", "Integration", "Mobile", "Partner", "Sync"];

    // (scopes, access): mostly read-only; a third can write; 1 in 50 holds everything (Admin).
    private static readonly (string Scopes, KeyAccess Access)[] Grants =
    [
        ("read:api_keys read:users", KeyAccess.ReadOnly),
        ("read:api_keys write:api_keys", KeyAccess.Custom),
        ("read:audit", KeyAccess.ReadOnly),
        ("read:api_keys write:api_keys read:users write:invites read:audit download:audit", KeyAccess.Admin),
    ];

    public static IEnumerable<ApiKey> Keys(int count, IReadOnlyList<string> creators, string[] keyIds, DateTime now)
    {
        for (var i = 0; i < count; i++)
        {
            var environment = i % 3 == 0 ? ApiKeyEnvironment.Test : ApiKeyEnvironment.Live;
            var keyId = keyIds[i] = ApiKeyFormat.NewKeyId();
            var name = $"{Words[i % Words.Length]} {Words[i / Words.Length % Words.Length]} {i}";
            var (scopes, access) = i % 50 == 0 ? Grants[3] : Grants[i % 3];
            var createdAt = now.AddMinutes(-(i % 1_051_200)).AddSeconds(-i % 60); // two years of minutes
            var revoked = i % 17 == 0;
            var used = i % 2 == 0;
            var lastUsedAt = used ? now.AddMinutes(-(i % 50_000)) : (DateTime?)null;
            yield return new ApiKey
            {
                KeyId = keyId,
                Environment = environment,
                Name = name,
                NameForSearch = name.ToLowerInvariant(),
                SecretHash = ApiKeyFormat.Hash(ApiKeyFormat.Create(environment, keyId)),
                Scopes = scopes,
                HoldsWriteScope = DiversitySync.Portal.Core.ScopeVerbs.HoldsWrite(scopes.Split(' ')),
                Access = access,
                CreatedAt = createdAt,
                CreatedById = creators[i % creators.Count],
                ExpiresAt = (i % 10) switch
                {
                    0 => now.AddDays(1 + i % 13),
                    1 => now.AddDays(-5),
                    2 => null,
                    _ => now.AddDays(300),
                },
                ReplacedByKeyId = i % 200 == 7 ? ApiKeyFormat.NewKeyId() : null,
                RevokedAt = revoked ? now.AddDays(-(i % 300)) : null,
                RevokedBy = revoked ? "Seed" : null,
                RevocationReason = revoked ? "Rotated" : null,
                LastUsedAt = lastUsedAt,
                LastUsedIp = used ? $"203.0.113.{i % 250}" : null,
                LastUsedFor = used ? "token exchange" : null,
                ScopesIdleSince = createdAt,
            };
        }
    }

    public static IEnumerable<AuditEvent> Events(int count, string[] keyIds, IReadOnlyList<string> creators,
        DateTime now)
    {
        var span = TimeSpan.FromDays(80).Ticks;
        for (var i = 0; i < count; i++)
        {
            var at = now.AddTicks(-span + span / Math.Max(1, count) * i);
            var keyId = keyIds.Length > 0 ? keyIds[i % keyIds.Length] : "0000000000000000";
            var staff = creators[i % creators.Count];
            var (action, byKey) = (i % 100) switch
            {
                < 90 => ("token.issued", true),
                < 95 => ("token.refused", true),
                < 97 => ("key.created", false),
                < 98 => ("key.revoked", false),
                _ => ("staff.signed_in", false),
            };
            yield return new AuditEvent
            {
                OccurredAt = at,
                Action = action,
                ActorType = byKey ? "key" : "staff",
                ActorId = byKey ? keyId : staff,
                ActorName = byKey ? $"{Words[i % Words.Length]} {i % Math.Max(1, keyIds.Length)}" : $"Staff {i % creators.Count}",
                TargetType = action == "staff.signed_in" ? "staff" : "key",
                TargetId = action == "staff.signed_in" ? staff : keyId,
                ClientIp = $"10.0.{i % 250}.{i % 200}",
                Detail = byKey ? "scope read:api_keys" : null,
                CorrelationId = Guid.NewGuid().ToString("N")[..16],
            };
        }
    }

    public static IEnumerable<KeyUsageDay> UsageDays(string[] keyIds, int days, DateTime now) =>
        from keyId in keyIds.Select((id, i) => (id, i))
        from day in Enumerable.Range(0, days)
        select new KeyUsageDay
        {
            KeyId = keyId.id,
            Day = DateOnly.FromDateTime(now.AddDays(-day)),
            Issued = 24 + (keyId.i + day) % 50,
            ApiCalls = keyId.i * day % 400,
            RefusedSecret = (keyId.i + day) % 7 == 0 ? 1 : 0,
            RefusedScope = (keyId.i + day) % 11 == 0 ? 1 : 0,
        };

    public static IEnumerable<KeyScopeUsageDay> ScopeDays(string[] keyIds, int days, DateTime now) =>
        from keyId in keyIds.Select((id, i) => (id, i))
        from day in Enumerable.Range(0, days)
        select new KeyScopeUsageDay
        {
            KeyId = keyId.id,
            Scope = "read:api_keys",
            Day = DateOnly.FromDateTime(now.AddDays(-day)),
            Calls = 1 + keyId.i * day % 400,
            LastAt = now.AddDays(-day),
        };

    public static IEnumerable<KeyScopeLastUse> ScopeLastUses(string[] keyIds, DateTime now) =>
        keyIds.Select(keyId => new KeyScopeLastUse { KeyId = keyId, Scope = "read:api_keys", LastAt = now });
}

/// <summary>Writes entities in bulk with the columns and conversions the EF Core model gives their type.</summary>
static class Bulk
{
    private const int RowsPerTransaction = 50_000;

    public static async Task WriteAsync<T>(PortalDbContext db, IEnumerable<T> rows) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // Store-generated keys (the audit log's Id) are left to the database.
        var properties = entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd).ToArray();
        var columns = properties.Select(p => '"' + p.GetColumnName(table) + '"').ToArray();
        object? Value(IProperty property, T row)
        {
            var value = property.PropertyInfo!.GetValue(row);
            return property.GetTypeMapping().Converter is { } converter && value is not null
                ? converter.ConvertToProvider(value)
                : value;
        }
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        if (connection is NpgsqlConnection postgres)
        {
            var types = properties.Select(p => p.GetColumnType().Split('(')[0]).ToArray();
            await using var import = await postgres.BeginBinaryImportAsync(
                $"COPY \"{table.Name}\" ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");
            foreach (var row in rows)
            {
                await import.StartRowAsync();
                for (var c = 0; c < properties.Length; c++)
                {
                    if (Value(properties[c], row) is { } value) await import.WriteAsync(value, types[c]);
                    else await import.WriteNullAsync();
                }
            }
            await import.CompleteAsync();
            return;
        }
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", columns)}) VALUES " +
            $"({string.Join(", ", columns.Select((_, c) => "$p" + c))})";
        var parameters = columns.Select((_, c) =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$p" + c;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        DbTransaction? transaction = null;
        var written = 0;
        foreach (var row in rows)
        {
            if (written++ % RowsPerTransaction == 0)
            {
                if (transaction is not null) await transaction.CommitAsync();
                command.Transaction = transaction = await connection.BeginTransactionAsync();
                command.Prepare();
            }
            for (var c = 0; c < properties.Length; c++) parameters[c].Value = Value(properties[c], row) ?? DBNull.Value;
            command.ExecuteNonQuery(); // SQLite's async methods run synchronously; this skips their overhead
        }
        if (transaction is not null) await transaction.CommitAsync();
    }
}
