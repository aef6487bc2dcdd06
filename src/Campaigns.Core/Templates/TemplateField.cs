namespace Campaigns.Core.Templates;

/// <summary>A customer field a template may reference. <see cref="TemplateFieldNames"/> spells each as a placeholder.</summary>
public enum TemplateField
{
    FirstName,
    LastName,
    Location,
    PreferredProduct,
    Phone,
}
