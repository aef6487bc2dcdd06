using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// A request body sent in two parts: the head at once, the tail only once <see cref="Release"/> is called,
/// so the request stays in flight (and the server mid-read) for as long as a test needs.
/// </summary>
public sealed class HeldBody : HttpContent
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HeldBody(string head, string tail, string mediaType)
    {
        _head = Encoding.UTF8.GetBytes(head);
        _tail = Encoding.UTF8.GetBytes(tail);
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
    }

    public void Release() => _released.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_head, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        await _released.Task.WaitAsync(cancellationToken);
        await stream.WriteAsync(_tail, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <summary>A body still held when its request is disposed (a failed test) breaks off, so the request ends.</summary>
    protected override void Dispose(bool disposing)
    {
        _released.TrySetCanceled();
        base.Dispose(disposing);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
