package desk.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code that runs on the audio thread. Such code allocates nothing, takes no locks, never blocks,
 * never logs and lets no exception escape. By convention the names of audio-thread methods also start
 * with {@code rt}, so a call from real-time code into anything else stands out in review.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.TYPE})
public @interface RealTime {
}
