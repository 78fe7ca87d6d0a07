using System.Diagnostics;
using Npgsql;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL server for the whole test run, started from Debian's binaries (package <c>postgresql</c>,
/// installed by the README's test command) in a temp directory on a free loopback port, and stopped when the run
/// ends. Every factory gets a database of its own on it. Shared process-wide rather than as an xunit collection
/// fixture, because xunit 2 cannot hand a collection fixture to a class fixture (the factories are class fixtures).
/// </summary>
public sealed class PostgresCluster
{
    private static readonly Lazy<PostgresCluster> Cluster = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string directory;
    private readonly string binaries;
    private readonly string? runAs;

    private PostgresCluster(string directory, string binaries, string? runAs, int port)
    {
        this.directory = directory;
        this.binaries = binaries;
        this.runAs = runAs;
        Port = port;
    }

    public static PostgresCluster Shared => Cluster.Value;

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Database = database,
            Username = "postgres"
        }.ToString();

    /// <summary>A new, empty database; its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"portal_{Guid.NewGuid():N}";
        Execute($"CREATE DATABASE \"{name}\"");
        return ConnectionString(name);
    }

    public void DropDatabase(string connectionString)
    {
        using (var connection = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(connection);
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static PostgresCluster Start()
    {
        var binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v,
                "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        if (binaries is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed: run the README's test command (it " +
                "installs Debian's postgresql package).");
        }

        // PostgreSQL refuses to run as root: as root, run it as the package's postgres user.
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var directory = Directory.CreateTempSubdirectory("diversitysync-pg-").FullName;
        if (runAs is not null) Run("chown", "-R", $"{runAs}:{runAs}", directory);
        var port = AppProcess.FreePort();
        var cluster = new PostgresCluster(directory, binaries, runAs, port);
        cluster.RunPostgres("initdb", "-D", cluster.Data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
            "--no-sync");
        // Tests never crash the database server itself, so it may skip flushing to disk; the app's own crash tests
        // kill the app, whose acknowledged writes PostgreSQL has already committed.
        cluster.RunPostgres("pg_ctl", "-D", cluster.Data, "-w", "-l", Path.Combine(directory, "server.log"), "start",
            "-o",
            $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c " +
            $"full_page_writes=off");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        return cluster;
    }

    private string Data => Path.Combine(directory, "data");

    private void Stop()
    {
        try
        {
            RunPostgres("pg_ctl", "-D", Data, "-m", "immediate", "stop");
        }
        finally
        {
            PortalFactory.TryDelete(directory);
        }
    }

    private void RunPostgres(string program, params string[] args)
    {
        var path = Path.Combine(binaries, program);
        if (runAs is null) Run(path, args);
        else Run("runuser", ["-u", runAs, "--", path, .. args]);
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: " +
                $"{output.Result}{errors.Result}");
        }
    }
}
