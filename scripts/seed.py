# The seed's Python KEMI skeleton (kamailio-playground.md) with its quote typos fixed
# ('From python mod init" and 'Kamailio.__init__" did not close).
import KSR as KSR

def ksr_info(message):
  KSR.info(f"====== {message} \n")

# Global function to instantiate kamailio class object.
# It is executed when Kamailio app_python module is initialized.
def mod_init():
  ksr_info("From python mod init")
  return Kamailio()

# Kamailio class containing the entire configuration
class Kamailio:
    def __init__(self):
        ksr_info("Kamailio.__init__")

    def child_init(self, rank):
        ksr_info(f'kamailio.child_init({str(rank)})')
        return 0
    
    def ksr_request_route(self, msg):
        ksr_info('Kamailio.ksr_request_route')
