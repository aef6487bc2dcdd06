using Campaigns.Core.Queue;

namespace Campaigns.Api.Data;

/// <summary>What an attempt to attach an audience to a campaign came to.</summary>
public abstract record SendOutcome
{
    public sealed record Accepted(int Created, QueuedMessages Queued, int SkippedOptedOut, string Status, bool DispatchNow) : SendOutcome;

    public sealed record CampaignMissing : SendOutcome;

    public sealed record NotSendable(string Status) : SendOutcome;

    public sealed record CustomersMissing(IReadOnlyList<long> MissingIds) : SendOutcome;

    public sealed record NoRecipients(int SkippedOptedOut) : SendOutcome;

    /// <summary>The campaign's template can render past its channel's limit (the message says how far).</summary>
    public sealed record TemplateTooLong(string Problem) : SendOutcome;
}
