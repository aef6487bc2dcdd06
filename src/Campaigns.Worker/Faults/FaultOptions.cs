using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker.Faults;

/// <summary>
/// Fault injection for drills (<c>Faults:</c> configuration). TEST-ONLY: off by default, and nothing but
/// a drill's own throwaway graph may turn it on.
/// </summary>
public sealed class FaultOptions
{
    public const string SectionName = "Faults";

    /// <summary>
    /// The first this many batches holding a message to a phone matching <see cref="FailBatchesForPhones"/>
    /// fail after their claim and before any provider call: the blip (Postgres or Redis gone for a moment,
    /// a bug) that must hand the claims back without costing an attempt.
    /// </summary>
    [Range(0, 1_000)]
    public int FailBatches { get; set; }

    /// <summary>Regex on the E.164 phone: which batches <see cref="FailBatches"/> strikes.</summary>
    public string? FailBatchesForPhones { get; set; }
}
