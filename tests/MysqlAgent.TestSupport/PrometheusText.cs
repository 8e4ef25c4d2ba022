using System.Globalization;

namespace MysqlAgent.TestSupport;

/// <summary>
/// The series of a Prometheus text exposition (<c>/metrics</c>): <c>name{label="value",...} number</c>
/// lines, comments skipped. The one way tests read an agent's metrics.
/// </summary>
public sealed class PrometheusText
{
    private readonly List<Series> _series;

    private PrometheusText(List<Series> series) => _series = series;

    public IReadOnlyList<Series> All => _series;

    public static PrometheusText Parse(string text)
    {
        var series = new List<Series>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var valueStart = line.LastIndexOf(' ');
            var head = line[..valueStart];
            var value = Number(line[(valueStart + 1)..]);
            var open = head.IndexOf('{', StringComparison.Ordinal);
            if (open < 0)
            {
                series.Add(new Series(head, new Dictionary<string, string>(), value));
                continue;
            }

            series.Add(new Series(head[..open], ParseLabels(head[(open + 1)..^1]), value));
        }

        return new PrometheusText(series);
    }

    /// <summary>The value of the series with exactly these labels; null when it is absent.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels) =>
        _series
            .Where(s =>
                s.Name == name
                && s.Labels.Count == labels.Length
                && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)
            )
            .Select(s => (double?)s.Value)
            .FirstOrDefault();

    /// <summary>The series of <paramref name="name"/> by the value of their one label <paramref name="label"/>.</summary>
    public IReadOnlyDictionary<string, double> ByLabel(string name, string label) =>
        _series
            .Where(s => s.Name == name && s.Labels.ContainsKey(label))
            .ToDictionary(s => s.Labels[label], s => s.Value, StringComparer.Ordinal);

    private static double Number(string text) =>
        text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text, CultureInfo.InvariantCulture),
        };

    private static Dictionary<string, string> ParseLabels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            var name = text[i..equals].Trim();
            var value = new System.Text.StringBuilder();
            var j = equals + 2; // past ="
            for (; text[j] != '"'; j++)
            {
                if (text[j] == '\\')
                {
                    j++;
                    value.Append(text[j] == 'n' ? '\n' : text[j]);
                }
                else
                {
                    value.Append(text[j]);
                }
            }

            labels[name] = value.ToString();
            i = j + 1;
            if (i < text.Length && text[i] == ',')
            {
                i++;
            }
        }

        return labels;
    }

    public sealed record Series(
        string Name,
        IReadOnlyDictionary<string, string> Labels,
        double Value
    );
}
