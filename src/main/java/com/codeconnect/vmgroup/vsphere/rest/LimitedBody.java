package com.codeconnect.vmgroup.vsphere.rest;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a limit: a server that sends more (or announces more) is
 * cut off at once rather than read to the end, so a hostile or broken answer costs at most the
 * limit. Chunks are requested one at a time, so nothing beyond the limit is ever buffered.
 */
final class LimitedBody implements BodySubscriber<byte[]> {
  /** The body went past the limit; the stream was cancelled. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("body larger than " + limit + " bytes");
    }
  }

  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private final long limit;
  private final long announced;
  private final List<byte[]> chunks = new ArrayList<>();
  private long size;
  private Flow.Subscription subscription;

  /**
   * @param announced the Content-Length, or -1 when the server sent none
   */
  LimitedBody(long limit, long announced) {
    this.limit = limit;
    this.announced = announced;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (announced > limit) {
      s.cancel();
      body.completeExceptionally(new TooLarge(limit));
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer b : buffers) {
      size += b.remaining();
      if (size > limit) {
        chunks.clear();
        subscription.cancel();
        body.completeExceptionally(new TooLarge(limit));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      chunks.add(chunk);
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable t) {
    body.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (body.isDone()) {
      return;
    }
    byte[] all = new byte[(int) size];
    int at = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, all, at, c.length);
      at += c.length;
    }
    chunks.clear();
    body.complete(all);
  }
}
