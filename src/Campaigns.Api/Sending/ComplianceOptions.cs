using Campaigns.Core.Domain;

namespace Campaigns.Api.Sending;

/// <summary>
/// Frequency caps (<c>Compliance:Sms:MaxPerCustomerPerDay</c>, <c>Compliance:WhatsApp:MaxPerCustomerPerDay</c>;
/// 0 = none): at a send, a customer who already has that many messages on the channel, created in the
/// last 24 h and not failed, cancelled or expired, is skipped.
/// </summary>
public sealed class ComplianceOptions
{
    public const string SectionName = "Compliance";

    public ChannelLimits Sms { get; set; } = new();

    public ChannelLimits WhatsApp { get; set; } = new();

    public int CapOf(string channel) => channel == Channel.WhatsApp ? WhatsApp.MaxPerCustomerPerDay : Sms.MaxPerCustomerPerDay;

    public sealed class ChannelLimits
    {
        public int MaxPerCustomerPerDay { get; set; }
    }
}
