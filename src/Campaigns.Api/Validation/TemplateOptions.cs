using System.ComponentModel.DataAnnotations;

namespace Campaigns.Api.Validation;

/// <summary>Limits on what a template may render (<c>Templates:</c> configuration).</summary>
public sealed class TemplateOptions
{
    public const string SectionName = "Templates";

    /// <summary>SMS segments the longest possible rendering of an sms template may take.</summary>
    [Range(1, 255)]
    public int MaxSmsSegments { get; set; } = 10;
}
