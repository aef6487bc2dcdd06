namespace Campaigns.Core.Templates;

/// <summary>
/// One piece of a parsed template: either literal text (escapes already resolved) or a field reference.
/// </summary>
internal readonly record struct TemplateSegment(string? Literal, TemplateField Field)
{
    public static TemplateSegment Text(string literal) => new(literal, default);

    public static TemplateSegment Placeholder(TemplateField field) => new(null, field);

    public bool IsLiteral => Literal is not null;
}
