namespace Campaigns.Worker.Sending;

/// <summary>The sender of each channel.</summary>
public sealed class MessageSenders
{
    private readonly Dictionary<string, IMessageSender> _byChannel;

    public MessageSenders(IEnumerable<IMessageSender> senders)
    {
        _byChannel = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);
    }

    public IMessageSender For(string channel) => _byChannel.TryGetValue(channel, out var sender)
        ? sender
        : throw new InvalidOperationException($"No sender for channel '{channel}'");
}
