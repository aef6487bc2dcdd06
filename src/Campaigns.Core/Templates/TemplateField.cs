namespace Campaigns.Core.Templates;

/// <summary>A customer field a template may reference. <see cref="TemplateFieldNames"/> spells each as a placeholder.</summary>
public enum TemplateField
{
    FirstName,
    LastName,
    Location,
    PreferredProduct,
    Phone,

    /// <summary>Not the customer's own: the configured recommender's pick for them, filled per send.</summary>
    RecommendedProduct,
}
