<?php
/*
 * Producer/consumer over a bounded channel: two producers push jobs, three
 * consumers pop them until the channel is closed and drained. The channel's
 * capacity (3) makes fast producers wait for slow consumers; a WaitGroup
 * tells when the producers are done, so the channel can be closed.
 *   php -d extension=build/ext/modules/swoole.so examples/coroutine/channel_producer_consumer.php
 */
use Swoole\Coroutine;
use Swoole\Coroutine\Channel;
use Swoole\Coroutine\WaitGroup;

$handled = 0;

Co\run(function () use (&$handled) {
    $jobs = new Channel(3);
    $producers = new WaitGroup();

    foreach (['A', 'B'] as $name) {
        $producers->add();
        go(function () use ($jobs, $producers, $name) {
            for ($i = 1; $i <= 5; $i++) {
                $jobs->push(['from' => $name, 'n' => $i]); // waits while the channel is full
            }
            printf("producer %s done\n", $name);
            $producers->done();
        });
    }

    foreach ([1, 2, 3] as $worker) {
        go(function () use ($jobs, $worker, &$handled) {
            // pop() returns false once the channel is closed and empty
            while (($job = $jobs->pop()) !== false) {
                Coroutine::sleep(0.01); // the work
                printf("worker %d handled %s%d\n", $worker, $job['from'], $job['n']);
                $handled++;
            }
            printf("worker %d stops (errCode %d: channel closed)\n", $worker, $jobs->errCode);
        });
    }

    $producers->wait();
    $jobs->close();
    echo "producers finished, channel closed; stats: ", json_encode($jobs->stats()), "\n";
});

// Co\run() returns once the workers have drained the channel.
printf("%d jobs handled\n", $handled);
