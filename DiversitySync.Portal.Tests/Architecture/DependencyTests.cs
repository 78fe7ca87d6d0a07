using Mono.Cecil;

namespace DiversitySync.Portal.Tests.Architecture;

/// <summary>
/// Dependencies point inward, read from the compiled assembly (signatures, fields, attributes and every method body,
/// lambdas and async state machines included): a folder may use the folders below it, never one above, and the domain
/// folders never form a cycle.
/// </summary>
public class DependencyTests
{
    private const string Root = "DiversitySync.Portal";

    /// <summary>Each folder's layer: a folder may use the layers below its own.</summary>
    private static readonly IReadOnlyDictionary<string, int> Layers = new Dictionary<string, int>
    {
        // Actor, access, outcome, paging, scopes, options, text and date helpers: depends on nothing of ours.
        ["Core"] = 0,
        // Entities, the context, the access reader, audit and outbox writes, the unit of work.
        ["Data"] = 1,
        // The domain: may use one another, but never in a cycle.
        ["Keys"] = 2,
        ["Staff"] = 2,
        ["Audit"] = 2,
        ["Webhooks"] = 2,
        ["Tokens"] = 2,
        ["RateLimiting"] = 2,
        ["SecretScanning"] = 2,
        // What people and programs talk to: each on its own, none using another.
        ["Api"] = 3,
        ["Components"] = 3,
        ["Cli"] = 3,
        // Program and the host's wiring: everything.
        ["(root)"] = 4,
    };

    private static readonly Lazy<IReadOnlyList<Edge>> AppEdges = new(() => Edges(typeof(Program).Assembly.Location));

    [Fact]
    public void Every_folder_has_a_layer() =>
        AppEdges.Value.SelectMany(e => new[] { e.From, e.To }).Distinct().Except(Layers.Keys)
            .Should().BeEmpty("a new folder needs a place in the layers before it can be used");

    [Fact]
    public void No_folder_uses_one_at_its_own_layer_or_above()
    {
        var wrongWay = WrongWay(AppEdges.Value).Select(e => $"{e.From} → {e.To} ({e.Why})").Distinct();

        wrongWay.Should().BeEmpty();
    }

    [Fact]
    public void The_domain_folders_use_one_another_without_a_cycle() =>
        Cycles(AppEdges.Value.Where(e => Layers.GetValueOrDefault(e.From) == 2 && Layers.GetValueOrDefault(e.To) == 2))
            .Should().BeEmpty();

    /// <summary>The rules themselves, on a made-up graph: each kind of wrong arrow is caught.</summary>
    [Fact]
    public void The_rules_catch_an_arrow_downward_and_a_cycle()
    {
        Edge[] edges =
        [
            new("Core", "Keys", "Actor → ApiKeyService"), new("Api", "Components", "X → Y"),
            new("Keys", "Staff", "A → B"), new("Staff", "Audit", "B → C"), new("Audit", "Keys", "C → A"), new("Tokens",
                "Keys", "D → A"),
        ];

        WrongWay(edges).Select(e => $"{e.From}→{e.To}").Should().BeEquivalentTo("Core→Keys", "Api→Components");
        Cycles(edges.Where(e => Layers[e.From] == 2)).Should().ContainSingle().Which.Should().BeEquivalentTo("Audit",
            "Keys", "Staff");
    }

    private static IEnumerable<Edge> WrongWay(IEnumerable<Edge> edges) => edges.Where(e =>
        Layers.TryGetValue(e.From, out var from) && Layers.TryGetValue(e.To, out var to)
            && (to > from || (to == from && from != 2)));

    /// <summary>The folders of each strongly connected group of more than one (Tarjan's algorithm).</summary>
    private static List<List<string>> Cycles(IEnumerable<Edge> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Distinct().ToList());
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();
        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var to in next.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(to))
                {
                    Visit(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
                else if (stack.Contains(to))
                {
                    low[node] = Math.Min(low[node], index[to]);
                }
            }
            if (low[node] != index[node]) return;
            var group = new List<string>();
            string member;
            do group.Add(member = stack.Pop()); while (member != node);
            if (group.Count > 1) cycles.Add([.. group.Order()]);
        }
        foreach (var node in next.Keys.Where(n => !index.ContainsKey(n)).ToList()) Visit(node);
        return cycles;
    }

    internal sealed record Edge(string From, string To, string Why);

    /// <summary>Every reference from a type in one folder of the app to a type in another.</summary>
    internal static IReadOnlyList<Edge> Edges(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var edges = new List<Edge>();
        foreach (var type in module.GetTypes())
        {
            var from = FolderOf(type);
            if (from is null) continue;
            void Add(TypeReference? referenced)
            {
                foreach (var t in Flatten(referenced))
                {
                    if (t.Scope != module && t.Module != module) continue;
                    var to = FolderOf(t);
                    if (to is not null && to != from) edges.Add(new Edge(from, to, $"{Outer(type).Name} → {t.Name}"));
                }
            }
            Add(type.BaseType);
            foreach (var i in type.Interfaces) Add(i.InterfaceType);
            foreach (var a in type.CustomAttributes) Add(a.AttributeType);
            foreach (var f in type.Fields) Add(f.FieldType);
            foreach (var p in type.Properties) Add(p.PropertyType);
            foreach (var m in type.Methods)
            {
                Add(m.ReturnType);
                foreach (var p in m.Parameters) Add(p.ParameterType);
                foreach (var a in m.CustomAttributes) Add(a.AttributeType);
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Add(v.VariableType);
                foreach (var instruction in m.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference t: Add(t); break;
                        case MethodReference r:
                            Add(r.DeclaringType);
                            Add(r.ReturnType);
                            foreach (var p in r.Parameters) Add(p.ParameterType);
                            if (r is GenericInstanceMethod g) foreach (var a in g.GenericArguments) Add(a);
                            break;
                        case FieldReference f: Add(f.DeclaringType); Add(f.FieldType); break;
                    }
                }
            }
        }
        return edges;
    }

    private static IEnumerable<TypeReference> Flatten(TypeReference? type)
    {
        switch (type)
        {
            case null: yield break;
            case GenericInstanceType g:
                yield return g.ElementType;
                foreach (var a in g.GenericArguments) foreach (var t in Flatten(a)) yield return t;
                break;
            case TypeSpecification s:
                foreach (var t in Flatten(s.ElementType)) yield return t;
                break;
            case GenericParameter: yield break;
            default: yield return type; break;
        }
    }

    private static TypeReference Outer(TypeReference type) => type.DeclaringType is { } d ? Outer(d) : type;

    /// <summary>
    /// The first part of the namespace below the app's root ("Keys", "Api"…), "(root)" for the root namespace, null
    /// for what the compiler makes outside any namespace (anonymous types, the file-local helpers).
    /// </summary>
    private static string? FolderOf(TypeReference type)
    {
        var ns = Outer(type).Namespace;
        if (ns == Root) return "(root)";
        return ns.StartsWith(Root + ".", StringComparison.Ordinal) ? ns[(Root.Length + 1)..].Split('.')[0] : null;
    }
}
