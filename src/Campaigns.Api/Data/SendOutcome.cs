using Campaigns.Core.Domain;
namespace Campaigns.Api.Data;

/// <summary>What an attempt to attach an audience to a campaign came to.</summary>
public abstract record SendOutcome
{
    /// <param name="QueuedAt">The stamp of the messages queued now (when <paramref name="DispatchNow"/>): their jobs carry it.</param>
    public sealed record Accepted(int Created, DateTime QueuedAt, SkipCounts Skipped, string Status, bool DispatchNow) : SendOutcome;

    public sealed record CampaignMissing : SendOutcome;

    public sealed record NotSendable(string Status) : SendOutcome;

    /// <summary>A WhatsApp campaign without a template, and every provider of the channel's chain sends templates only.</summary>
    public sealed record NeedsWhatsAppTemplate(IReadOnlyList<string> Chain) : SendOutcome;

    public sealed record CustomersMissing(IReadOnlyList<long> MissingIds) : SendOutcome;

    public sealed record NoRecipients(SkipCounts Skipped) : SendOutcome;

    /// <summary>The campaign's template can render past its channel's limit (the message says how far).</summary>
    public sealed record TemplateTooLong(string Problem) : SendOutcome;
}
