using System.Text.Json;
using System.Text.RegularExpressions;
using MysqlAgent.TestSupport;

namespace MysqlAgent.Tests.Manifests;

/// <summary>One instruction of a Dockerfile, continuation lines joined.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments)
{
    /// <summary>The words of the instruction, options like <c>--from=build</c> included.</summary>
    public string[] Words =>
        Arguments.Split(
            ' ',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
        );
}

/// <summary>A <c>FROM</c> and what follows it up to the next one.</summary>
internal sealed record DockerStage(
    string Image,
    string? Name,
    IReadOnlyList<DockerInstruction> Instructions
)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword);

    public string? User => All("USER").LastOrDefault()?.Arguments;

    public string WorkDir => All("WORKDIR").LastOrDefault()?.Arguments ?? "/";

    /// <summary>The exec form of ENTRYPOINT, e.g. <c>["/mysql-init"]</c>.</summary>
    public string[]? Entrypoint =>
        All("ENTRYPOINT").LastOrDefault() is { } entrypoint
            ? JsonSerializer.Deserialize<string[]>(entrypoint.Arguments)
            : null;
}

/// <summary>Just enough of the Dockerfile syntax to check ours: ARG, FROM ... AS, and instructions.</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(
        string name,
        IReadOnlyDictionary<string, string?> globalArgs,
        IReadOnlyList<DockerStage> stages
    )
    {
        Name = name;
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    public string Name { get; }

    /// <summary>ARGs before the first FROM, with their defaults.</summary>
    public IReadOnlyDictionary<string, string?> GlobalArgs { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public DockerStage Stage(string name) => Stages.Single(s => s.Name == name);

    public static Dockerfile Load(string name)
    {
        var instructions = new List<DockerInstruction>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(Repository.Of(name)))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            line = pending + line;
            pending = "";
            if (line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(
                new DockerInstruction(
                    line[..space].ToUpperInvariant(),
                    Regex.Replace(line[(space + 1)..], @"\s+", " ").Trim()
                )
            );
        }

        var globalArgs = new Dictionary<string, string?>(StringComparer.Ordinal);
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Words;
                current = [];
                stages.Add(
                    new DockerStage(
                        words[0],
                        words.Length == 3
                        && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase)
                            ? words[2]
                            : null,
                        current
                    )
                );
            }
            else if (current is null)
            {
                Assert.Equal("ARG", instruction.Keyword);
                var equals = instruction.Arguments.IndexOf('=', StringComparison.Ordinal);
                globalArgs[equals < 0 ? instruction.Arguments : instruction.Arguments[..equals]] =
                    equals < 0 ? null : instruction.Arguments[(equals + 1)..];
            }
            else
            {
                current.Add(instruction);
            }
        }

        return new Dockerfile(name, globalArgs, stages);
    }

    /// <summary>Replaces <c>${NAME}</c> with the value given, else the global ARG's default.</summary>
    public string Expand(string text, IReadOnlyDictionary<string, string>? buildArgs = null) =>
        Variable()
            .Replace(
                text,
                m =>
                    buildArgs?.GetValueOrDefault(m.Groups["name"].Value)
                    ?? GlobalArgs.GetValueOrDefault(m.Groups["name"].Value)
                    ?? throw new InvalidOperationException(
                        $"{Name}: ${{{m.Groups["name"].Value}}} has no value"
                    )
            );

    /// <summary>The stages a build with these arguments goes through to the final one.</summary>
    public DockerStage FinalBaseStage(IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        var image = Expand(Final.Image, buildArgs);
        return Stages.Single(s => s.Name == image);
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    public static partial Regex Variable();
}
