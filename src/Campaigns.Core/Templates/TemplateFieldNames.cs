namespace Campaigns.Core.Templates;

/// <summary>
/// The placeholder names templates may use: exact and lowercase, as the API contract spells them.
/// </summary>
public static class TemplateFieldNames
{
    public const string FirstName = "first_name";
    public const string LastName = "last_name";
    public const string Location = "location";
    public const string PreferredProduct = "preferred_product";
    public const string Phone = "phone";
    public const string RecommendedProduct = "recommended_product";

    /// <summary>Every allowed name, in the order error messages list them.</summary>
    public static readonly IReadOnlyList<string> All = [FirstName, LastName, Location, PreferredProduct, Phone, RecommendedProduct];

    /// <summary>The allowed placeholders as an error message lists them: <c>{first_name}, {last_name}, …</c>.</summary>
    public static readonly string AllowedPlaceholders = string.Join(", ", All.Select(name => $"{{{name}}}"));

    /// <summary>The field a placeholder name refers to; case-sensitive, so <c>First_Name</c> is no field.</summary>
    public static bool TryGetField(ReadOnlySpan<char> name, out TemplateField field)
    {
        switch (name)
        {
            case FirstName: field = TemplateField.FirstName; return true;
            case LastName: field = TemplateField.LastName; return true;
            case Location: field = TemplateField.Location; return true;
            case PreferredProduct: field = TemplateField.PreferredProduct; return true;
            case Phone: field = TemplateField.Phone; return true;
            case RecommendedProduct: field = TemplateField.RecommendedProduct; return true;
            default: field = default; return false;
        }
    }

    /// <summary>The placeholder name of a field, e.g. <c>first_name</c>.</summary>
    public static string NameOf(TemplateField field) => field switch
    {
        TemplateField.FirstName => FirstName,
        TemplateField.LastName => LastName,
        TemplateField.Location => Location,
        TemplateField.PreferredProduct => PreferredProduct,
        TemplateField.Phone => Phone,
        TemplateField.RecommendedProduct => RecommendedProduct,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a template field"),
    };
}
