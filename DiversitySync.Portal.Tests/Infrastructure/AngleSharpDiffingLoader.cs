using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace DiversitySync.Portal.Tests.Infrastructure;

/// <summary>
/// bUnit is compiled against AngleSharp.Diffing 1.0.0.0; our mirror has only 0.17.0, which works. Resolve the
/// name by simple name so the older assembly also loads outside the test host (stack-notes.md).
/// </summary>
internal static class AngleSharpDiffingLoader
{
    [ModuleInitializer]
    internal static void Register() => AssemblyLoadContext.Default.Resolving += (context, name) =>
        name.Name == "AngleSharp.Diffing"
            ? context.LoadFromAssemblyPath(Path.Combine(AppContext.BaseDirectory, "AngleSharp.Diffing.dll"))
            : null;
}
