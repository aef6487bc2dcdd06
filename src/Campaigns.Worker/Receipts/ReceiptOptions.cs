using System.ComponentModel.DataAnnotations;

namespace Campaigns.Worker.Receipts;

/// <summary>How the worker applies stored receipts (<c>Receipts:</c> configuration).</summary>
public sealed class ReceiptOptions
{
    public const string SectionName = "Receipts";

    /// <summary>How often the applier looks at the inbox when the last round found it empty.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Receipts applied in one statement.</summary>
    [Range(1, 50_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>
    /// Statements run side by side while a backlog lasts (each takes other receipts: SKIP LOCKED), so a
    /// burst uses more than one Postgres core; an idle inbox is looked at by one. Also the size of the applier's own
    /// pool (<see cref="ReceiptApplierRegistration"/>).
    /// </summary>
    [Range(1, 16)]
    public int Parallelism { get; set; } = 2;

    /// <summary>How long a receipt whose message id was never recorded is kept (the contract: at least a day).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "30.00:00:00")]
    public TimeSpan KeepUnmatched { get; set; } = TimeSpan.FromHours(36);
}
