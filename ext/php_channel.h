/*
 * Coroutine synchronisation classes: Swoole\Coroutine\Channel
 * (php_channel.c), Swoole\Coroutine\WaitGroup and Swoole\Coroutine\Barrier
 * (php_wait_group.c). Registered from the module's MINIT, after the
 * coroutine family (they use Swoole\Error and swoole.use_shortname).
 */
#ifndef PHP_CHANNEL_H
#define PHP_CHANNEL_H

void php_swoole_channel_minit(int module_number);
void php_swoole_wait_group_minit(int module_number);

#endif /* PHP_CHANNEL_H */
