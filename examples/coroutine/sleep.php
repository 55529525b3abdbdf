<?php
/*
 * Three coroutines sleep 0.1, 0.2 and 0.3 s at the same time: the whole run
 * takes about 0.3 s (the longest), not 0.6 s (the sum).
 *   php -d extension=build/ext/modules/swoole.so examples/coroutine/sleep.php
 */
$start = microtime(true);

Co\run(function () {
    foreach ([0.3, 0.1, 0.2] as $seconds) {
        go(function () use ($seconds) {
            Co::sleep($seconds);
            printf("coroutine #%d slept %.1f s\n", Co::getCid(), $seconds);
        });
    }
});

printf("all done in %.2f s\n", microtime(true) - $start);
