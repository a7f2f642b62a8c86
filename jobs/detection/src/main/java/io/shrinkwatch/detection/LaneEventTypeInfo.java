package io.shrinkwatch.detection;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information for {@link LaneEvent}, bound through {@code @TypeInfo} to {@link LaneEventSerializer}. */
public final class LaneEventTypeInfo extends TypeInformation<LaneEvent> {

    private static final long serialVersionUID = 1L;

    public static final LaneEventTypeInfo INSTANCE = new LaneEventTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<LaneEvent> getTypeClass() {
        return LaneEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<LaneEvent> createSerializer(SerializerConfig config) {
        return new LaneEventSerializer();
    }

    @Override
    public String toString() {
        return "LaneEvent";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LaneEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return LaneEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof LaneEventTypeInfo;
    }

    /** The factory {@code @TypeInfo} on {@link LaneEvent} names. */
    public static final class Factory extends TypeInfoFactory<LaneEvent> {
        @Override
        public TypeInformation<LaneEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
