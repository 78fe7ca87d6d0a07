using System.Text.RegularExpressions;
using DiversitySync.Portal.Data.PostgreSQL;

namespace DiversitySync.Portal.Tests.Data;

/// <summary>
/// Every list filter reads an index, never the whole keys or audit table, so the lists stay fast at a million keys and
/// ten million events. The SQL the services really run is explained by the database itself: SQLite's EXPLAIN
/// QUERY PLAN, PostgreSQL's EXPLAIN with sequential scans priced out, so a small test table cannot hide a missing index.
/// The one list that scans is a search for a name fragment alone ("%text%" can use no index; see bench/README.md).
/// </summary>
public partial class QueryPlanTests : IAsyncLifetime
{
    private readonly PortalFactory factory;

    public QueryPlanTests() : this(new PortalFactory())
    {
    }

    protected QueryPlanTests(PortalFactory factory) => this.factory = factory;

    private string creatorId = "";

    public async Task InitializeAsync()
    {
        var owner = await factory.StaffAsync(name: "Olive Owner");
        creatorId = owner.Id;
        await factory.KeyAsync(owner, name: "Payroll export");
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private static readonly Dictionary<string, Func<string, ApiKeyQuery>> Lists = new()
    {
        ["first page"] = _ => new(),
        ["revoked"] = _ => new(Status: ApiKeyStatus.Revoked),
        ["expired"] = _ => new(Status: ApiKeyStatus.Expired),
        ["active"] = _ => new(Status: ApiKeyStatus.Active),
        ["expiring soon"] = _ => new(Status: ApiKeyStatus.ExpiringSoon),
        ["replaced"] = _ => new(Status: ApiKeyStatus.Replaced),
        ["admin access"] = _ => new(Access: KeyAccess.Admin),
        ["read-only access"] = _ => new(Access: KeyAccess.ReadOnly),
        ["test environment"] = _ => new(Environment: ApiKeyEnvironment.Test),
        ["creator"] = creator => new(CreatorId: creator),
        ["by name"] = _ => new(Sort: ApiKeySort.Name),
        ["by last use"] = _ => new(Sort: ApiKeySort.LastUsed),
        ["oldest first"] = _ => new(Sort: ApiKeySort.CreatedOldest),
        ["revoked by name"] = _ => new(Status: ApiKeyStatus.Revoked, Sort: ApiKeySort.Name),
        ["admin access of a creator"] = creator => new(Access: KeyAccess.Admin, CreatorId: creator),
        ["revoked, searched"] = _ => new(Status: ApiKeyStatus.Revoked, Search: "billing"),
        ["never used"] = _ => new(Used: new TimeFilter(TimeFilterKind.Never)),
        ["never expiring"] = _ => new(Expires: new TimeFilter(TimeFilterKind.Never)),
        ["expiring within 7 days"] = _ => new(Expires: new TimeFilter(TimeFilterKind.Within, 7)),
        ["holding a write scope"] = _ => new(WriteScopes: true),
        ["unused scopes"] = _ => new(UnusedScopes: true),
        ["blocked creators"] = _ => new(CreatorStatus: StaffStatus.Blocked),
        ["made within 30 days"] = _ => new(Created: new TimeFilter(TimeFilterKind.Within, 30)),
    };

    public static TheoryData<string> KeyLists() => [.. Lists.Keys];

    [Theory]
    [MemberData(nameof(KeyLists))]
    public async Task Every_key_list_reads_an_index_not_the_whole_keys_table(string list)
    {
        var query = Lists[list](creatorId);
        factory.Commands.TakeQueries();
        var found = await factory.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().SearchAsync(Actor.System,
            query));
        found.Succeeded.Should().BeTrue();
        (await FullScansAsync(factory, "ApiKeys", filtered: !Unfiltered.Contains(list) && !CountedByWalking.Contains(list)))
            .Should().BeEmpty();
    }

    // Lists that only sort: their count reads the table by nature, and stops at the count limit.
    private static readonly string[] Unfiltered = ["first page", "by name", "by last use", "oldest first"];

    // Known gaps on SQLite: these counts walk a covering index (checking the column in it) instead of seeking, which
    // stops at the count limit quickly while many keys match but reads the whole index when few do. They are held
    // to "never the table itself" until each has an index SQLite seeks (bench/README.md has their times).
    private static readonly string[] CountedByWalking =
        ["test environment", "holding a write scope", "revoked", "revoked by name"];

    [Fact]
    public async Task A_search_for_a_name_fragment_alone_is_seen_reading_the_whole_keys_table()
    {
        // On SQLite, whose plans name a scan plainly: the check above can see one.
        await using var sqlite = new PortalFactory();
        await sqlite.KeyAsync(await sqlite.StaffAsync(name: "Olive Owner"), name: "Payroll export");
        sqlite.Commands.TakeQueries();
        await sqlite.WithScopeAsync(s => s.GetRequiredService<ApiKeyQueries>().SearchAsync(Actor.System,
            new ApiKeyQuery(Search: "payroll")));
        (await FullScansAsync(sqlite, "ApiKeys", filtered: true)).Should().NotBeEmpty();
    }

    public static TheoryData<string?, string?, string?, bool> AuditLists() => new()
    {
        { null, null, null, false }, { "key.revoked", null, null, false }, { null, "0123456789abcdef", null, false },
        { null, null, "0123456789abcdef", false }, { null, null, null, true }, { "key.created", null, null, true },
    };

    [Theory]
    [MemberData(nameof(AuditLists))]
    public async Task Every_audit_list_and_export_reads_an_index_not_the_whole_audit_table(string? action,
        string? actor, string? target, bool dates)
    {
        var today = DateOnly.FromDateTime(factory.Time.GetUtcNow().UtcDateTime);
        var query = new AuditQuery(Actor: actor, Action: action, Target: target, From: dates ? today.AddDays(-1) : null,
            To: dates ? today : null);
        factory.Commands.TakeQueries();
        await factory.WithScopeAsync(async s =>
        {
            var queries = s.GetRequiredService<AuditQueries>();
            (await queries.SearchAsync(Actor.System, query)).Succeeded.Should().BeTrue();
            await foreach (var _ in (await queries.StreamAsync(Actor.System, query)).Value!)
            {
            }
            return 0;
        });
        (await FullScansAsync(factory, "AuditEvents", filtered: (action ?? actor ?? target) is not null || dates)).Should()
            .BeEmpty();
    }

    /// <summary>
    /// The plan lines, of every query just run against <paramref name="table"/>, that read all of it. A filtered
    /// list's count has no order to stop early for: there, walking a whole index is reading everything too.
    /// </summary>
    private static async Task<List<string>> FullScansAsync(PortalFactory factory, string table, bool filtered)
    {
        var scans = new List<string>();
        await factory.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<PortalDbContext>();
            var postgres = db is PostgresPortalDbContext;
            // A partial index holds only the rows its filter names: walking it reads those rows only. Which indexes
            // are partial is the model's to say.
            var partial = db.Model.GetEntityTypes().Where(e => e.GetTableName() == table)
                .SelectMany(e => e.GetIndexes()).Where(i => i.GetFilter() is not null)
                .Select(i => i.GetDatabaseName()!).ToList();
            bool IsPartial(string scanned) => partial.Any(name => scanned.Trim().Trim('"').EndsWith(name,
                StringComparison.Ordinal));
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            if (postgres) await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
            foreach (var logged in factory.Commands.TakeQueries().Where(q => q.Sql.Contains($"\"{table}\"")))
            {
                await using var explain = connection.CreateCommand();
                explain.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + logged.Sql;
                foreach (var (name, value, type) in logged.Parameters)
                {
                    var parameter = explain.CreateParameter();
                    (parameter.ParameterName, parameter.Value, parameter.DbType) = (name, value, type);
                    explain.Parameters.Add(parameter);
                }
                // SQLite names the table by its alias in the query: "SCAN a" with no index after it.
                var aliases = TableAlias().Matches(logged.Sql).Where(m => m.Groups[1].Value == table)
                    .Select(m => m.Groups[2].Value).ToHashSet();
                var lines = new List<string>();
                await using (var reader = await explain.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync()) lines.Add(reader.GetString(reader.FieldCount - 1));
                }
                var counting = filtered && logged.Sql.Contains("COUNT(*)", StringComparison.OrdinalIgnoreCase);
                for (var i = 0; i < lines.Count; i++)
                {
                    var line = lines[i];
                    // PostgreSQL: a sequential scan, or (for a count) an index scan with no condition to seek by.
                    var full = postgres
                        ? line.Contains($"Seq Scan on \"{table}\"") || counting && line.Contains($" on \"{table}\"")
                            && !line.Contains("Bitmap Heap Scan") // always fed by an index condition
                            && !lines.Skip(i + 1).TakeWhile(l => !l.Contains("->")).Any(l => l.Contains("Index Cond"))
                            && !IsPartial(line.Split(" on ")[0])
                        : SqliteScan().Match(line) is { Success: true } scan && aliases.Contains(scan.Groups[1].Value)
                            && (counting || scan.Groups[2].Value.Length == 0) && !IsPartial(scan.Groups[2].Value);
                    if (full) scans.Add($"{line}  ← {logged.Sql}");
                }
            }
            return 0;
        });
        return scans;
    }

    [GeneratedRegex("\"(\\w+)\" AS \"?(\\w+)\"?")]
    private static partial Regex TableAlias();

    [GeneratedRegex("^\\s*SCAN (\\w+)(.*)$")]
    private static partial Regex SqliteScan();
}

public sealed class QueryPlanTestsOnPostgreSQL() : QueryPlanTests(new PostgresPortalFactory());
