using System.Diagnostics.CodeAnalysis;

namespace Campaigns.Core.Templates;

/// <summary>
/// A validated message template, parsed once into literal text and field references so that rendering
/// it for each of 100,000 customers costs one string allocation per message and no re-parsing.
/// </summary>
/// <example>
/// <code>
/// if (!MessageTemplate.TryParse("Hi {first_name}!", out var template, out var error)) return error;
/// var text = template.Render(new TemplateFields(FirstName: "Alice")); // "Hi Alice!"
/// </code>
/// </example>
public sealed class MessageTemplate
{
    private readonly TemplateSegment[] _segments;
    private readonly int _literalLength;

    private MessageTemplate(string text, TemplateSegment[] segments, IReadOnlyList<TemplateField> usedFields)
    {
        Text = text;
        UsedFields = usedFields;
        _segments = segments;
        foreach (var segment in segments)
        {
            _literalLength += segment.Literal?.Length ?? 0;
        }
    }

    /// <summary>The template as written, escapes and all.</summary>
    public string Text { get; }

    /// <summary>The fields the template references, each once, in order of first use.</summary>
    public IReadOnlyList<TemplateField> UsedFields { get; }

    /// <summary>
    /// Parses a template. On failure <paramref name="error"/> names every unknown placeholder and lists
    /// the allowed ones, e.g. <c>Unknown placeholder {coupon}; allowed: {first_name}, …</c>.
    /// </summary>
    public static bool TryParse(
        string text,
        [NotNullWhen(true)] out MessageTemplate? template,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parsed = TemplateParser.Parse(text);
        if (parsed.UnknownNames.Count > 0)
        {
            template = null;
            error = UnknownPlaceholdersMessage(parsed.UnknownNames);
            return false;
        }
        template = new MessageTemplate(text, parsed.Segments, parsed.UsedFields);
        error = null;
        return true;
    }

    /// <summary>Parses a template known to be valid (e.g. one stored after validation).</summary>
    /// <exception cref="FormatException">The template uses an unknown placeholder.</exception>
    public static MessageTemplate Parse(string text) =>
        TryParse(text, out var template, out var error) ? template : throw new FormatException(error);

    /// <summary>Null when the template is valid, else the message saying what is wrong.</summary>
    public static string? Validate(string text) => TryParse(text, out _, out var error) ? null : error;

    /// <summary>Renders the template for one customer; a missing (null) field renders as "".</summary>
    public string Render(in TemplateFields fields)
    {
        var length = _literalLength;
        foreach (var segment in _segments)
        {
            if (!segment.IsLiteral)
            {
                length += fields.Get(segment.Field)?.Length ?? 0;
            }
        }

        if (length == 0)
        {
            return string.Empty;
        }
        if (_segments.Length == 1)
        {
            // A template that is one literal or one placeholder: that string is already the answer.
            return _segments[0].Literal ?? fields.Get(_segments[0].Field)!;
        }
        return string.Create(length, (_segments, fields), static (destination, state) =>
        {
            var (segments, fields) = state;
            foreach (var segment in segments)
            {
                var value = segment.Literal ?? fields.Get(segment.Field);
                if (value is not null)
                {
                    value.CopyTo(destination);
                    destination = destination[value.Length..];
                }
            }
        });
    }

    public override string ToString() => Text;

    private static string UnknownPlaceholdersMessage(IReadOnlyList<string> names)
    {
        var noun = names.Count == 1 ? "placeholder" : "placeholders";
        var listed = string.Join(", ", names.Select(name => $"{{{name}}}"));
        return $"Unknown {noun} {listed}; allowed: {TemplateFieldNames.AllowedPlaceholders}";
    }
}
