using System.Net;
using System.Net.Sockets;

namespace SplitBrain.Tests.Data;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (a free port) that serves one byte array, honouring "Range: bytes=N-" unless told
/// not to, and able to cut the connection once after some bytes. It records the Range header of every request.
/// Every request is bounded (one small body); the server stops when disposed.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _content;
    private readonly Task _loop;
    private int _cutsLeft;

    public LoopbackServer(byte[] content, bool ignoreRange = false, int? cutAfterBytesOnce = null, HttpStatusCode? status = null)
    {
        _content = content;
        IgnoreRange = ignoreRange;
        CutAfterBytes = cutAfterBytesOnce;
        _cutsLeft = cutAfterBytesOnce is null ? 0 : 1;
        Status = status;
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/stl10_binary.tar.gz");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public bool IgnoreRange { get; }

    public int? CutAfterBytes { get; }

    public HttpStatusCode? Status { get; }

    /// <summary>The Range header of each request ("" when none), in order.</summary>
    public List<string> Ranges { get; } = [];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            try { await Answer(context); }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException) { }
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        var range = context.Request.Headers["Range"] ?? "";
        lock (Ranges) Ranges.Add(range);
        if (Status is { } status)
        {
            response.StatusCode = (int)status;
            response.Close();
            return;
        }

        long start = 0;
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && !IgnoreRange)
        {
            start = long.Parse(range["bytes=".Length..].TrimEnd('-'));
            if (start >= _content.Length)
            {
                response.StatusCode = 416;
                response.AddHeader("Content-Range", $"bytes */{_content.Length}");
                response.Close();
                return;
            }

            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {start}-{_content.Length - 1}/{_content.Length}");
        }

        response.ContentLength64 = _content.Length - start;
        var body = _content.AsMemory((int)start);
        if (CutAfterBytes is { } cut && Interlocked.Decrement(ref _cutsLeft) == 0)
        {
            await response.OutputStream.WriteAsync(body[..cut]);
            await response.OutputStream.FlushAsync();
            response.Abort(); // the connection drops mid-body
            return;
        }

        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
