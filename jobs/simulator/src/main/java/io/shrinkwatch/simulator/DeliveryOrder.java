package io.shrinkwatch.simulator;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * Interleaves per-store event lists in time, as a live chain delivers them: a k-way merge that always takes the list
 * whose next event is earliest (ties to the earlier list) and keeps each list's own, slightly disordered, delivery
 * order. Simulated stores are written one after another; sent that way, every later store would be hours behind the
 * watermark.
 */
public final class DeliveryOrder {

    private DeliveryOrder() {
    }

    public static <T> Iterator<T> interleave(List<? extends List<? extends T>> lists, ToLongFunction<? super T> ts) {
        record Cursor(int list, int next) {
        }
        PriorityQueue<Cursor> queue = new PriorityQueue<>(Comparator
                .<Cursor>comparingLong(c -> ts.applyAsLong(lists.get(c.list()).get(c.next())))
                .thenComparingInt(Cursor::list));
        for (int i = 0; i < lists.size(); i++) {
            if (!lists.get(i).isEmpty()) {
                queue.add(new Cursor(i, 0));
            }
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !queue.isEmpty();
            }

            @Override
            public T next() {
                Cursor c = queue.poll();
                if (c == null) {
                    throw new NoSuchElementException();
                }
                List<? extends T> l = lists.get(c.list());
                if (c.next() + 1 < l.size()) {
                    queue.add(new Cursor(c.list(), c.next() + 1));
                }
                return l.get(c.next());
            }
        };
    }
}
