using Campaigns.Worker.Sending;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.Delivery;

/// <summary>
/// The call record (<c>sender_calls</c>, written before each call) is a test aid: the worker wires it in
/// only with <c>Sender:RecordCalls</c>, so production sends do not even look for it. That it is written,
/// and before the calls, the recovery drills prove (<c>CallEvidence</c>).
/// </summary>
public sealed class CallRecordingRegistrationTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void The_call_record_is_a_before_send_hook_only_with_Sender_RecordCalls(string? recordCalls, bool wired)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (recordCalls is not null)
        {
            builder.Configuration["Sender:RecordCalls"] = recordCalls;
        }

        builder.AddSenders();

        var hooks = builder.Services.Where(d => d.ServiceType == typeof(IBeforeSendHook)).ToList();
        Assert.Equal(wired ? [typeof(SenderCallRecorder)] : [], hooks.Select(d => d.ImplementationType));
    }
}
