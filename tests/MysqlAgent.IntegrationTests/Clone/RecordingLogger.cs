using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MysqlAgent.IntegrationTests.Clone;

/// <summary>Keeps every log line with its event id, echoes it to the test output, and lets a test look at the world as each event happens.</summary>
internal sealed class RecordingLogger(ITestOutputHelper output, Action<EventId>? onEvent = null)
    : ILogger
{
    public ConcurrentQueue<(EventId Id, string Message)> Lines { get; } = new();

    public int Count(int eventId) => Lines.Count(l => l.Id.Id == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter
    )
    {
        var message = formatter(state, exception);
        Lines.Enqueue((eventId, message));
        try
        {
            output.WriteLine($"{logLevel} {eventId.Id} {message}");
        }
        catch (InvalidOperationException)
        {
            // The test has already finished.
        }

        onEvent?.Invoke(eventId);
    }
}
