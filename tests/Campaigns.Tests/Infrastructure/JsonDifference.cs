using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// Where two JSON documents first differ, as a JSON path (<c>$.paths['/campaigns/{id}'].get</c>), with
/// the value each side has there. Member order does not count; array order does.
/// </summary>
public sealed partial record JsonDifference(string Path, string Expected, string Actual)
{
    private const string Absent = "(absent)";
    private const int ShownLength = 200;

    public static JsonDifference? First(JsonNode? expected, JsonNode? actual) => First(expected, actual, "$");

    private static JsonDifference? First(JsonNode? expected, JsonNode? actual, string path)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (name, value) in e)
                {
                    var difference = a.TryGetPropertyValue(name, out var other)
                        ? First(value, other, Member(path, name))
                        : new JsonDifference(Member(path, name), Show(value), Absent);
                    if (difference is not null)
                    {
                        return difference;
                    }
                }
                var extra = a.Select(m => m.Key).FirstOrDefault(name => !e.ContainsKey(name));
                return extra is null ? null : new JsonDifference(Member(path, extra), Absent, Show(a[extra]));
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    var difference = i < e.Count && i < a.Count
                        ? First(e[i], a[i], $"{path}[{i}]")
                        : new JsonDifference($"{path}[{i}]", i < e.Count ? Show(e[i]) : Absent, i < a.Count ? Show(a[i]) : Absent);
                    if (difference is not null)
                    {
                        return difference;
                    }
                }
                return null;
            default:
                return JsonNode.DeepEquals(expected, actual) ? null : new JsonDifference(path, Show(expected), Show(actual));
        }
    }

    private static string Member(string path, string name) =>
        Identifier().IsMatch(name) ? $"{path}.{name}" : $"{path}['{name.Replace("'", "\\'")}']";

    private static string Show(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length <= ShownLength ? text : text[..ShownLength] + "…";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
