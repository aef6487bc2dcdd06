namespace Campaigns.Core.Templates;

/// <summary>
/// The customer values a template renders with (and the product recommended to them). A null (missing) value renders as an empty string.
/// A struct, so building one per customer while rendering 100,000 messages costs no allocation.
/// </summary>
public readonly record struct TemplateFields(
    string? FirstName = null,
    string? LastName = null,
    string? Location = null,
    string? PreferredProduct = null,
    string? Phone = null,
    string? RecommendedProduct = null)
{
    /// <summary>The value of one field; null when the customer has none.</summary>
    public string? Get(TemplateField field) => field switch
    {
        TemplateField.FirstName => FirstName,
        TemplateField.LastName => LastName,
        TemplateField.Location => Location,
        TemplateField.PreferredProduct => PreferredProduct,
        TemplateField.Phone => Phone,
        TemplateField.RecommendedProduct => RecommendedProduct,
        _ => null,
    };
}
