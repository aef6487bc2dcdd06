using System.Text.RegularExpressions;

namespace Campaigns.Tests.Infrastructure.OpenApi;

/// <summary>
/// A path of the document (<c>/campaigns/{id}/messages/{messageId}</c>) matched against request paths.
/// Where two match, the one with a literal segment first wins (<c>/customers/import</c> over
/// <c>/customers/{id}</c>), as routing decides.
/// </summary>
internal sealed partial class PathTemplate
{
    private readonly Segment[] _segments;

    private PathTemplate(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    public static PathTemplate Parse(string text) =>
        new(text, [.. Split(text).Select(Segment.Parse)]);

    /// <summary>The path's segments, unescaped; a trailing slash is no segment (routing ignores it too).</summary>
    public static string[] Split(string path) =>
        [.. path.TrimEnd('/').Split('/').Skip(1).Select(Uri.UnescapeDataString)];

    public bool TryMatch(string[] path, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (path.Length != _segments.Length)
        {
            return false;
        }
        for (var i = 0; i < path.Length; i++)
        {
            if (!_segments[i].TryMatch(path[i], values))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// An order in which the first template that matches a path is the one routing picks: by length (only
    /// equal lengths compete), then the first segment where they differ, literal before variable.
    /// </summary>
    public int CompareSpecificity(PathTemplate other) =>
        _segments.Length != other._segments.Length
            ? _segments.Length.CompareTo(other._segments.Length)
            : _segments.Zip(other._segments, (mine, theirs) => mine.Kind.CompareTo(theirs.Kind)).FirstOrDefault(order => order != 0);

    private enum SegmentKind
    {
        Literal,
        Mixed,
        Variable,
    }

    private sealed record Segment(SegmentKind Kind, string Literal, Regex? Pattern)
    {
        public static Segment Parse(string text)
        {
            if (!text.Contains('{'))
            {
                return new Segment(SegmentKind.Literal, text, null);
            }
            var whole = Variable().Match(text) is { Success: true } match && match.Length == text.Length;
            // {name} → a named group; the literal parts between stay literal.
            var pattern = "^" + Variable().Replace(Regex.Escape(text).Replace(@"\{", "{"), variable => $"(?<{variable.Groups[1].Value}>.+?)") + "$";
            return new Segment(whole ? SegmentKind.Variable : SegmentKind.Mixed, text, new Regex(pattern, RegexOptions.CultureInvariant));
        }

        public bool TryMatch(string value, Dictionary<string, string> values)
        {
            if (Pattern is null)
            {
                return string.Equals(value, Literal, StringComparison.OrdinalIgnoreCase);
            }
            var match = Pattern.Match(value);
            if (!match.Success || value.Length == 0)
            {
                return false;
            }
            foreach (var group in match.Groups.Cast<Group>().Skip(1))
            {
                values[group.Name] = group.Value;
            }
            return true;
        }
    }

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex Variable();
}
