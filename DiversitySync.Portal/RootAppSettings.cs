using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace DiversitySync.Portal;

public static class RootAppSettings
{
    /// <summary>
    /// The repository's top-level appsettings.json (linked into the build output) as the lowest-priority source:
    /// the content root is the project folder, so it would not be read otherwise. Everything else overrides it:
    /// appsettings.{Environment}.json, environment variables, the command line.
    /// </summary>
    public static IConfigurationManager AddRootAppSettings(this IConfigurationManager configuration)
    {
        configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });
        return configuration;
    }
}
