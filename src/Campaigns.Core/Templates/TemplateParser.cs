using System.Text;

namespace Campaigns.Core.Templates;

/// <summary>
/// The template grammar, read left to right:
/// <c>{{</c> is a literal <c>{</c>, <c>}}</c> a literal <c>}</c>, <c>{identifier}</c> a placeholder,
/// and every other character (including a brace around something that is not an identifier) is itself.
/// </summary>
internal static class TemplateParser
{
    /// <summary>What a template is made of; <see cref="UnknownNames"/> is non-empty when it is invalid.</summary>
    public sealed record Result(
        TemplateSegment[] Segments,
        IReadOnlyList<TemplateField> UsedFields,
        IReadOnlyList<string> UnknownNames);

    public static Result Parse(string text)
    {
        var segments = new List<TemplateSegment>();
        var usedFields = new List<TemplateField>();
        var unknownNames = new List<string>();
        var literal = new StringBuilder();

        var position = 0;
        while (position < text.Length)
        {
            var current = text[position];
            if (current is '{' or '}' && position + 1 < text.Length && text[position + 1] == current)
            {
                literal.Append(current);
                position += 2;
            }
            else if (current == '{' && TryReadPlaceholder(text, position, out var name))
            {
                if (TemplateFieldNames.TryGetField(name, out var field))
                {
                    FlushLiteral(literal, segments);
                    segments.Add(TemplateSegment.Placeholder(field));
                    if (!usedFields.Contains(field))
                    {
                        usedFields.Add(field);
                    }
                }
                else if (!Contains(unknownNames, name))
                {
                    unknownNames.Add(name.ToString());
                }
                position += name.Length + 2;
            }
            else
            {
                literal.Append(current);
                position++;
            }
        }
        FlushLiteral(literal, segments);
        return new Result([.. segments], usedFields, unknownNames);
    }

    /// <summary>Reads <c>{identifier}</c> starting at <paramref name="open"/>, the opening brace.</summary>
    private static bool TryReadPlaceholder(string text, int open, out ReadOnlySpan<char> name)
    {
        var start = open + 1;
        var end = start;
        if (end < text.Length && IsIdentifierStart(text[end]))
        {
            end++;
            while (end < text.Length && IsIdentifierPart(text[end]))
            {
                end++;
            }
            if (end < text.Length && text[end] == '}')
            {
                name = text.AsSpan(start, end - start);
                return true;
            }
        }
        name = default;
        return false;
    }

    // ASCII only: the contract's identifier is [A-Za-z_][A-Za-z0-9_]*, so {é} stays literal text.
    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool Contains(List<string> names, ReadOnlySpan<char> name)
    {
        foreach (var known in names)
        {
            if (name.SequenceEqual(known))
            {
                return true;
            }
        }
        return false;
    }

    private static void FlushLiteral(StringBuilder literal, List<TemplateSegment> segments)
    {
        if (literal.Length > 0)
        {
            segments.Add(TemplateSegment.Text(literal.ToString()));
            literal.Clear();
        }
    }
}
