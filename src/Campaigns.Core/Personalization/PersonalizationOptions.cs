using System.ComponentModel.DataAnnotations;

namespace Campaigns.Core.Personalization;

/// <summary>
/// Limits on the language model's work (<c>Personalization:</c>): how long one call may take before the plain rendering is
/// used, how many calls run at once in one process, and how many calls one campaign may spend (past it, the plain rendering).
/// </summary>
public sealed class PersonalizationOptions
{
    public const string SectionName = "Personalization";

    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 10_000)]
    public int Concurrency { get; set; } = 16;

    [Range(0, int.MaxValue)]
    public int MaxCallsPerCampaign { get; set; } = 100_000;
}
