using System.Diagnostics;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>The real executable, as `dotnet run --project DiversitySync.Portal -- …` or a deployment runs it, on a test's data.</summary>
public static class AppProcess
{
    public static ProcessStartInfo StartInfo(string dataDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DiversitySync.Portal.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["Portal__DataDirectory"] = dataDirectory;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }
}
